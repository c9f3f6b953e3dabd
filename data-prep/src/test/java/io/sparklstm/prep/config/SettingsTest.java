package io.sparklstm.prep.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    private static PrepareConfig prepare(DatasetKind kind, String inputPath, String testPath, SplitConfig split) {
        return new PrepareConfig(kind, new InputConfig(inputPath, ",", true, "UTF-8"),
                new TimeSeriesConfig("date", "yyyy-MM-dd", List.of(), List.of(), 4, 2, 1,
                        TimeSeriesConfig.TargetOffset.NONE),
                new SequencesConfig("\\s+", 1, SequencesConfig.Label.LAST_FIELD, 1, List.of()), new TsConfig(testPath),
                split, true, 8, 1);
    }

    private static SplitConfig random(double... fractions) {
        return new SplitConfig(SplitConfig.Method.RANDOM, java.util.Arrays.stream(fractions).boxed().toList(), "", "", "");
    }

    @Test
    void aTestPathThatIsTheInputPathIsAConfigErrorBeforeAnyFileIsListed() {
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
                () -> prepare(DatasetKind.TS, "data/a_TRAIN.ts", "data/./a_TRAIN.ts", random(0.8, 0.2, 0)));
        assertEquals(List.of("ts.testPath = \"data/./a_TRAIN.ts\" is invalid: expected other files than input.path = "
                + "\"data/a_TRAIN.ts\" (a case cannot be in training and test)"), e.problems());
        assertTrue(prepare(DatasetKind.TS, "data/a_TRAIN.ts", "data/a_TEST.ts", random(0.8, 0.2, 0)).ts().hasTestPath());
    }

    @Test
    void splitEndDatesMustIncreaseAndParseAndEveryOneOutOfOrderIsNamed() {
        SplitConfig backwards = new SplitConfig(SplitConfig.Method.TIME, List.of(0.7, 0.1, 0.2), "2017-06-01",
                "2017-06-01", "2017-01-01");
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
                () -> prepare(DatasetKind.TIMESERIES, "x.csv", "", backwards));
        assertEquals(List.of(
                "split.validationEnd = \"2017-06-01\" is invalid: expected a time after split.trainEnd = \"2017-06-01\"",
                "split.testEnd = \"2017-01-01\" is invalid: expected a time after split.validationEnd = \"2017-06-01\""),
                e.problems());
        SplitConfig unparsable = new SplitConfig(SplitConfig.Method.TIME, List.of(0.7, 0.1, 0.2), "2017-06-01",
                "2017-13-01", "");
        InvalidSettingsException bad = assertThrows(InvalidSettingsException.class,
                () -> prepare(DatasetKind.TIMESERIES, "x.csv", "", unparsable));
        assertEquals(List.of("split.validationEnd = \"2017-13-01\" is invalid: expected a timestamp in the format "
                + "timeseries.timestampFormat = \"yyyy-MM-dd\""), bad.problems());
        SplitConfig ordered = new SplitConfig(SplitConfig.Method.TIME, List.of(0.7, 0.1, 0.2), "2017-06-01",
                "2017-06-02", "");
        assertTrue(prepare(DatasetKind.TIMESERIES, "x.csv", "", ordered).split().byDates());
    }

    @Test
    void fractionsThatLeaveDataUnassignedSaySoAndHowMuch() {
        assertEquals(java.util.Optional.of("split.fractions = [0.6, 0.1, 0.2] sum to 0.9: 10% of the data is in no "
                        + "split and is not used"),
                prepare(DatasetKind.SEQUENCES, "x.txt", "", random(0.6, 0.1, 0.2)).unassignedWarning());
        assertEquals(java.util.Optional.empty(),
                prepare(DatasetKind.SEQUENCES, "x.txt", "", random(0.7, 0.1, 0.2)).unassignedWarning());
        assertEquals(java.util.Optional.empty(),
                prepare(DatasetKind.SEQUENCES, "x.txt", "", random(0.6, 0.3, 0.1)).unassignedWarning());
        // a separate test file: the input is divided between train and validation, the test fraction is unused
        assertEquals(java.util.Optional.empty(),
                prepare(DatasetKind.TS, "x.ts", "t.ts", random(0.5, 0.1, 0)).unassignedWarning());
        // end dates: the fractions are not used to split
        SplitConfig byDates = new SplitConfig(SplitConfig.Method.TIME, List.of(0.5, 0.1, 0.1), "2017-06-01",
                "2017-06-02", "");
        assertEquals(java.util.Optional.empty(),
                prepare(DatasetKind.TIMESERIES, "x.csv", "", byDates).unassignedWarning());
    }

    @Test
    void negativeOrNonNumberFractionsAndNoTrainingAreRefused() {
        for (List<Double> fractions : List.of(List.of(0.8, -0.1, 0.2), List.of(0.8, Double.NaN, 0.1),
                List.of(0.0, 0.5, 0.5))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new SplitConfig(SplitConfig.Method.RANDOM, fractions, "", "", ""), fractions.toString());
            assertTrue(e.getMessage().startsWith("split.fractions = " + fractions + " is invalid"), e.getMessage());
        }
    }

    @Test
    void unknownEncodingIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new InputConfig("x.csv", ",", true, "NO-SUCH-CHARSET"));
        assertTrue(e.getMessage().startsWith("input.encoding"), e.getMessage());
    }
}
