package io.sparklstm.jobs.evaluate;

import io.sparklstm.jobs.config.ConfigLoader;
import io.sparklstm.jobs.config.JobConfig;
import io.sparklstm.model.Task;
import io.sparklstm.model.data.DatasetManifest;
import io.sparklstm.model.data.Preparation;
import io.sparklstm.model.data.SplitInfo;
import io.sparklstm.model.data.Standardizer;
import io.sparklstm.prep.config.PrepareConfig;
import io.sparklstm.prep.io.InputDataException;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreparationMatchTest {

    private static final List<String> COLUMNS = List.of("load", "OT");

    private static Standardizer normalizer(double scale) {
        return new Standardizer(COLUMNS, new double[]{1.5 * scale, 20.0}, new double[]{0.5, 3.0 * scale});
    }

    private static Map<String, Object> settings(Map<String, Object> timeseries) {
        Map<String, Object> ts = new HashMap<>(Map.of("windowSteps", 24, "horizonSteps", 6, "strideSteps", 1,
                "targetOffset", "last", "entityColumn", ""));
        ts.putAll(timeseries);
        return Map.of("dataset", Map.of("kind", "timeseries"), "timeseries", ts, "prepare", Map.of("normalize", true));
    }

    private static Preparation model() {
        return new Preparation("timeseries", Task.FORECAST, COLUMNS, List.of("OT"), List.of(), 24, 6, normalizer(1),
                "fingerprint", settings(Map.of()));
    }

    private static DatasetManifest data(int windowSteps, Standardizer normalizer, Map<String, Object> timeseries) {
        SplitInfo split = new SplitInfo(10, 1, 100, List.of("test/batch-000000.bin"), 40, "", "", 24, 24, 24.0, 0);
        return new DatasetManifest(1, "timeseries", Task.FORECAST, COLUMNS, List.of("OT"), List.of(), windowSteps, 6,
                32, normalizer, Map.of(), Map.of("train", split, "validation", split, "test", split),
                Map.of("fingerprint", "other"), Map.of(), settings(timeseries));
    }

    @Test
    void dataPreparedAsTheModelsTrainingDataMatchesWhateverItsStrideAndSource() {
        assertEquals(List.of(), PreparationMatch.differences(model(), data(24, normalizer(1), Map.of("strideSteps", 4))));
    }

    @Test
    void anotherWindowAndTargetOffsetAreBothNamedWithBothValues() {
        List<String> differences = PreparationMatch.differences(model(),
                data(48, normalizer(1), Map.of("windowSteps", 48, "targetOffset", "none")));
        assertEquals(List.of("the data was prepared with timeseries.windowSteps = 48, the model with 24",
                "the data was prepared with timeseries.targetOffset = \"none\", the model with \"last\""), differences);
        InputDataException e = assertThrows(InputDataException.class,
                () -> PreparationMatch.require(model(), data(48, normalizer(1), Map.of("windowSteps", 48)), "/d"));
        assertTrue(e.getMessage().startsWith("/d: the data was prepared differently from the model's training data"),
                e.getMessage());
    }

    @Test
    void choicesCompareRegardlessOfCaseAndNumbersByValue() {
        assertEquals(List.of(), PreparationMatch.differences(model(),
                data(24, normalizer(1), Map.of("targetOffset", " LAST", "windowSteps", 24L))));
    }

    @Test
    void normalizerStatisticsMatchWithinRoundingOnly() {
        assertEquals(List.of(), PreparationMatch.differences(model(), data(24, normalizer(1 + 1e-13), Map.of())));
        List<String> differences = PreparationMatch.differences(model(), data(24, normalizer(1 + 1e-6), Map.of()));
        assertEquals(1, differences.size());
        assertTrue(differences.get(0).contains("(column load: mean 1.500001"), differences.get(0));
        List<String> unnormalized = PreparationMatch.differences(model(), data(24, null, Map.of()));
        assertEquals(List.of("the data was not standardized, the model's training data was"), unnormalized);
    }

    @Test
    void aSettingNewerThanTheModelCountsAsItsDefaultAndOneUnknownToBothIsEqual() {
        // timeseries.frequency: not in the model's record; in the data's
        List<String> differences = PreparationMatch.differences(model(),
                data(24, normalizer(1), Map.of("frequency", "1h")));
        assertEquals(1, differences.size());
        assertTrue(differences.get(0).startsWith("the data was prepared with timeseries.frequency = \"1h\", the model "
                + "with "), differences.get(0));
        // a model recorded before settings were: only what a preparation holds is compared
        Preparation old = new Preparation("timeseries", Task.FORECAST, COLUMNS, List.of("OT"), List.of(), 24, 6,
                normalizer(1), "fingerprint", Map.of());
        assertEquals(List.of(), PreparationMatch.differences(old, data(24, normalizer(1), Map.of("targetOffset", "none"))));
    }

    /** Sequences standardized each on its own are not what a model trained on raw sequences saw, nor the reverse. */
    @Test
    void sequencesTransformedOtherwiseOnTheirOwnAreNamed() {
        Preparation model = sequences("standardize", true).preparation();
        assertEquals(List.of(), PreparationMatch.differences(model, sequences("STANDARDIZE", true)));
        assertEquals(List.of("the data was prepared with prepare.perSequence = \"none\", the model with "
                + "\"standardize\"", "the data was prepared with prepare.sequenceStats = false, the model with true"),
                PreparationMatch.differences(model, sequences("none", false)));
    }

    private static DatasetManifest sequences(String perSequence, boolean stats) {
        SplitInfo split = new SplitInfo(10, 1, 100, List.of("test/batch-000000.bin"), 40, "", "", 60, 60, 60.0, 0);
        Standardizer identity = new Standardizer(List.of("value"), new double[]{0}, new double[]{1});
        return new DatasetManifest(1, "sequences", Task.CLASSIFICATION, List.of("value"), List.of(), List.of("a", "b"),
                60, 0, 32, identity, Map.of(), Map.of("train", split, "validation", split, "test", split),
                Map.of("fingerprint", "f"), Map.of(), Map.of("dataset", Map.of("kind", "sequences"),
                "prepare", Map.of("normalize", true, "perSequence", perSequence, "sequenceStats", stats)));
    }

    @Test
    void predictMustPrepareNewDataWithTheModelsWindowAndTargetOffset() {
        PrepareConfig same = JobConfig.from(ConfigLoader.load((java.io.File) null, List.of("timeseries.windowSteps=24",
                "timeseries.horizonSteps=6", "timeseries.targetOffset=last", "timeseries.strideSteps=7"))).prepare();
        assertEquals(List.of(), PreparationMatch.unapplied(model(), same));
        PrepareConfig other = JobConfig.from(ConfigLoader.load((java.io.File) null, List.of("timeseries.windowSteps=12",
                "timeseries.targetOffset=none"))).prepare();
        assertEquals(List.of("predict would prepare the data with timeseries.windowSteps = 12, the model with 24",
                "predict would prepare the data with timeseries.targetOffset = \"none\", the model with \"last\""),
                PreparationMatch.unapplied(model(), other));
    }
}
