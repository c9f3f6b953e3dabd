package io.sparklstm.prep.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsTest {

    @Test
    void fractionsAboveOneAreRejectedWithTheirKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SplitConfig(SplitConfig.Method.RANDOM, List.of(0.8, 0.2, 0.2), "", "", ""));
        assertTrue(e.getMessage().startsWith("split.fractions"), e.getMessage());
    }

    @Test
    void targetsMustBeFeatures() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TimeSeriesConfig("date",
                "yyyy-MM-dd", List.of("a", "b"), List.of("c"), 4, 2, 1, TimeSeriesConfig.TargetOffset.NONE));
        assertTrue(e.getMessage().startsWith("timeseries.targetColumns"), e.getMessage());
    }

    @Test
    void aRandomSplitOfATimeSeriesIsRefused() {
        InputConfig input = new InputConfig("x.csv", ",", true, "UTF-8");
        TimeSeriesConfig ts = new TimeSeriesConfig("date", "yyyy-MM-dd", List.of(), List.of(), 4, 2, 1, TimeSeriesConfig.TargetOffset.NONE);
        SequencesConfig seq = new SequencesConfig("\\s+", 1, SequencesConfig.Label.LAST_FIELD, 1, List.of());
        SplitConfig random = new SplitConfig(SplitConfig.Method.RANDOM, List.of(0.7, 0.1, 0.2), "", "", "");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PrepareConfig(DatasetKind.TIMESERIES, input, ts, seq, new TsConfig(""), random, true, 8, 1));
        assertTrue(e.getMessage().startsWith("split.method"), e.getMessage());
    }

    @Test
    void aTsDatasetMustBeSplitAtRandom() {
        InputConfig input = new InputConfig("x.ts", ",", true, "UTF-8");
        TimeSeriesConfig ts = new TimeSeriesConfig("date", "yyyy-MM-dd", List.of(), List.of(), 4, 2, 1, TimeSeriesConfig.TargetOffset.NONE);
        SequencesConfig seq = new SequencesConfig("\\s+", 1, SequencesConfig.Label.LAST_FIELD, 1, List.of());
        SplitConfig byTime = new SplitConfig(SplitConfig.Method.TIME, List.of(0.7, 0.1, 0.2), "", "", "");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PrepareConfig(DatasetKind.TS, input, ts, seq, new TsConfig("t.ts"), byTime, true, 8, 1));
        assertTrue(e.getMessage().startsWith("split.method = \"time\" is invalid: expected random for dataset.kind = ts"),
                e.getMessage());
    }

    @Test
    void aTestPathIsOnlyForTheTsKind() {
        InputConfig input = new InputConfig("x.txt", ",", false, "UTF-8");
        TimeSeriesConfig ts = new TimeSeriesConfig("date", "yyyy-MM-dd", List.of(), List.of(), 4, 2, 1, TimeSeriesConfig.TargetOffset.NONE);
        SequencesConfig seq = new SequencesConfig("\\s+", 1, SequencesConfig.Label.LAST_FIELD, 1, List.of());
        SplitConfig random = new SplitConfig(SplitConfig.Method.RANDOM, List.of(0.7, 0.1, 0.2), "", "", "");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PrepareConfig(DatasetKind.SEQUENCES, input, ts, seq, new TsConfig("t.ts"), random, true, 8, 1));
        assertTrue(e.getMessage().startsWith("ts.testPath = \"t.ts\" is invalid"), e.getMessage());
        // the same settings with the ts kind are fine, and a blank test path means none
        assertTrue(new PrepareConfig(DatasetKind.TS, input, ts, seq, new TsConfig("t.ts"), random, true, 8, 1)
                .ts().hasTestPath());
        assertTrue(!new TsConfig("  ").hasTestPath());
    }

    @Test
    void aTestPathThatIsNoPathIsRejectedWithItsKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TsConfig("a:b"));
        assertTrue(e.getMessage().startsWith("ts.testPath = \"a:b\" is invalid"), e.getMessage());
    }

    @Test
    void quarantineIsForEveryKindButTextWhichSaysWhy() {
        InputConfig quarantine = new InputConfig("x.txt", ",", false, "UTF-8", InputConfig.Format.CSV,
                InputConfig.DEFAULT_NA_TOKENS, List.of(), InputConfig.BadRecords.QUARANTINE);
        TimeSeriesConfig ts = new TimeSeriesConfig("date", "yyyy-MM-dd", List.of(), List.of(), 4, 2, 1, TimeSeriesConfig.TargetOffset.NONE);
        SequencesConfig seq = new SequencesConfig("\\s+", 1, SequencesConfig.Label.LAST_FIELD, 1, List.of());
        SplitConfig random = new SplitConfig(SplitConfig.Method.RANDOM, List.of(0.7, 0.1, 0.2), "", "", "");
        SplitConfig byTime = new SplitConfig(SplitConfig.Method.TIME, List.of(0.7, 0.1, 0.2), "", "", "");
        assertTrue(new PrepareConfig(DatasetKind.SEQUENCES, quarantine, ts, seq, new TsConfig(""), random, true, 8, 1)
                .input().quarantine());
        assertTrue(new PrepareConfig(DatasetKind.TS, quarantine, ts, seq, new TsConfig(""), random, true, 8, 1)
                .input().quarantine());
        assertTrue(new PrepareConfig(DatasetKind.TIMESERIES, quarantine, ts, seq, new TsConfig(""), byTime, true, 8, 1)
                .input().quarantine());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PrepareConfig(DatasetKind.TEXT, quarantine, ts, seq, new TsConfig(""), byTime, true, 8, 1));
        assertTrue(e.getMessage().startsWith("input.onBadRecord = \"quarantine\" is invalid: expected fail for "
                + "dataset.kind = text") && e.getMessage().contains("would corrupt them"), e.getMessage());
    }

    @Test
    void unknownEncodingIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new InputConfig("x.csv", ",", true, "NO-SUCH-CHARSET"));
        assertTrue(e.getMessage().startsWith("input.encoding"), e.getMessage());
    }
}
