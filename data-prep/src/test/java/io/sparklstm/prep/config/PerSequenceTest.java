package io.sparklstm.prep.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PerSequenceTest {

    /** Two channels of four steps, channel-major: a ramp and a constant. */
    private static final double[] TWO_CHANNELS = {1, 2, 3, 6, 5, 5, 5, 5};

    @Test
    void standardizeGivesEachChannelMeanZeroAndStdOneOverItsOwnSteps() {
        double[] out = PerSequence.STANDARDIZE.apply(TWO_CHANNELS, 4);
        double std = Math.sqrt((2.0 * 2.0 + 1.0 + 0.0 + 3.0 * 3.0) / 4);
        assertArrayEquals(new double[]{-2 / std, -1 / std, 0, 3 / std, 0, 0, 0, 0}, out, 1e-12);
        // the input is left as it was
        assertArrayEquals(new double[]{1, 2, 3, 6, 5, 5, 5, 5}, TWO_CHANNELS);
    }

    @Test
    void centerSubtractsEachChannelsMeanOnly() {
        assertArrayEquals(new double[]{-2, -1, 0, 3, 0, 0, 0, 0}, PerSequence.CENTER.apply(TWO_CHANNELS, 4), 1e-12);
    }

    @Test
    void noneIsTheValuesThemselvesAndAOneStepSequenceStandardizesToZero() {
        assertSame(TWO_CHANNELS, PerSequence.NONE.apply(TWO_CHANNELS, 4));
        assertArrayEquals(new double[]{0, 0}, PerSequence.STANDARDIZE.apply(new double[]{7, -3}, 1));
    }

    @Test
    void onlyTheSequenceKindsTakeAPerSequenceTransform() {
        InputConfig input = new InputConfig("x.csv", ",", true, "UTF-8");
        TimeSeriesConfig ts = new TimeSeriesConfig("date", "yyyy-MM-dd", List.of(), List.of(), 4, 2, 1,
                TimeSeriesConfig.TargetOffset.NONE);
        SequencesConfig seq = new SequencesConfig("\\s+", 1, SequencesConfig.Label.LAST_FIELD, 1, List.of());
        SplitConfig byTime = new SplitConfig(SplitConfig.Method.TIME, List.of(0.7, 0.1, 0.2), "", "", "");
        SplitConfig random = new SplitConfig(SplitConfig.Method.RANDOM, List.of(0.7, 0.1, 0.2), "", "", "");
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> new PrepareConfig(
                DatasetKind.TIMESERIES, input, ts, seq, new TsConfig(""), byTime, true, 8, 1, TextConfig.DEFAULTS,
                PerSequence.CENTER, false));
        assertTrue(e.getMessage().startsWith("prepare.perSequence = \"center\" is invalid: expected none unless "
                + "dataset.kind = sequences or ts"), e.getMessage());
        PrepareConfig sequences = new PrepareConfig(DatasetKind.SEQUENCES, input, ts, seq, new TsConfig(""), random,
                true, 8, 1);
        assertSame(PerSequence.NONE, sequences.perSequence());
        assertSame(PerSequence.STANDARDIZE, sequences.withSequenceInputs(PerSequence.STANDARDIZE, true).perSequence());
        InvalidSettingsException stats = assertThrows(InvalidSettingsException.class, () -> new PrepareConfig(
                DatasetKind.TIMESERIES, input, ts, seq, new TsConfig(""), byTime, true, 8, 1, TextConfig.DEFAULTS,
                PerSequence.NONE, true));
        assertTrue(stats.getMessage().startsWith("prepare.sequenceStats = true is invalid: expected false unless "
                + "dataset.kind = sequences or ts"), stats.getMessage());
    }
}
