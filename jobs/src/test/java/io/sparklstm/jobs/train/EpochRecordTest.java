package io.sparklstm.jobs.train;

import io.sparklstm.model.Json;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EpochRecordTest {

    private static final Map<String, Double> TIMING = orderedDoubles("driverFitSeconds", 0.812, "sparkJobSeconds", 0.8);
    private static final Map<String, Object> VALIDATION = ordered("loss", 0.083468, "accuracy", 0.96,
            "confusion", List.of(List.of(3L, 0L), List.of(1L, 4L)));
    private static final Map<String, Long> TASKS = new LinkedHashMap<>(Map.of("tasks", 6L));

    static {
        TASKS.put("failedTasks", 0L);
    }

    private static Map<String, Double> orderedDoubles(Object... keysAndValues) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], (Double) keysAndValues[i + 1]);
        return m;
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return m;
    }

    /** The line as the epoch loop wrote it before the record was typed: a map filled in this order. */
    private static String mapLine(boolean timing, boolean completed, double loss) throws Exception {
        Map<String, Object> m = ordered("epoch", 3, "trainLoss", loss, "trainExamples", 394L,
                "samplesPerSecond", 467.25, "fitSeconds", 0.843, "learningRate", 0.005);
        if (timing) m.put("timing", TIMING);
        if (completed) {
            m.put("validation", VALIDATION);
            m.put("epochSeconds", 1.0);
        }
        m.put("sparkTasks", TASKS);
        if (completed) m.put("best", true);
        return Json.compact().writeValueAsString(m);
    }

    private static EpochRecord fitted(boolean timing, double loss) {
        return EpochRecord.fitted(3, loss, 394L, 467.25, 0.843, 0.005,
                timing ? Optional.of(TIMING) : Optional.empty());
    }

    @Test
    void aCompletedEpochIsWrittenAsTheMapLineWas() throws Exception {
        for (boolean timing : List.of(true, false)) {
            EpochRecord record = fitted(timing, 0.02751).completed(VALIDATION, 1.0, TASKS).withBest(true);
            assertEquals(mapLine(timing, true, 0.02751), record.toJsonLine());
        }
    }

    @Test
    void aFailedEpochIsWrittenWithoutValidationTimeOrBestAndKeepsItsNaNLoss() throws Exception {
        for (boolean timing : List.of(true, false)) {
            EpochRecord record = fitted(timing, Double.NaN).withSparkTasks(TASKS);
            assertEquals(mapLine(timing, false, Double.NaN), record.toJsonLine());
        }
    }

    @Test
    void aRecordReadBackFromACheckpointIsWrittenAgainByteForByte() throws Exception {
        EpochRecord record = fitted(true, 0.02751).completed(VALIDATION, 1.0, TASKS).withBest(false);
        // as a checkpoint holds it: the training state written pretty, read back into plain maps
        Object parsed = Json.mapper().readValue(Json.mapper().writeValueAsString(Map.of("records", List.of(record))),
                Map.class).get("records");
        EpochRecord again = EpochRecord.fromJsonValue(((List<?>) parsed).get(0));
        assertEquals(record.toJsonLine(), again.toJsonLine());
    }

    @Test
    void aRecordReadBackHoldsItsTimingAsDoublesAndItsTaskCountsAsLongs() throws Exception {
        String line = "{\"epoch\":1,\"trainLoss\":0.5,\"trainExamples\":10,\"samplesPerSecond\":20.0,"
                + "\"fitSeconds\":0.5,\"learningRate\":0.01,\"timing\":{\"sparkJobSeconds\":0.8},"
                + "\"validation\":{\"loss\":0.4},\"epochSeconds\":0.6,\"sparkTasks\":{\"tasks\":6,\"failedTasks\":0},"
                + "\"best\":true}";
        EpochRecord record = EpochRecord.fromJsonValue(Json.mapper().readValue(line, Map.class));
        long failed = record.sparkTasks().orElseThrow().get("failedTasks");
        double seconds = record.timing().orElseThrow().get("sparkJobSeconds");
        assertEquals(0L, failed);
        assertEquals(0.8, seconds);
        assertEquals(line, record.toJsonLine());
    }

    @Test
    void aRecordOfABuildBeforeSparkTasksWereCountedIsWrittenAgainWithoutThem() throws Exception {
        String old = "{\"epoch\":1,\"trainLoss\":0.5,\"trainExamples\":10,\"samplesPerSecond\":20.0,"
                + "\"fitSeconds\":0.5,\"learningRate\":0.01,\"validation\":{\"loss\":0.4},\"epochSeconds\":0.6,"
                + "\"best\":true}";
        assertEquals(old, EpochRecord.fromJsonValue(Json.mapper().readValue(old, Map.class)).toJsonLine());
    }

    @Test
    void validationAndEpochSecondsComeTogether() {
        assertThrows(IllegalArgumentException.class, () -> new EpochRecord(1, 0.5, 10, 20, 0.5, 0.01,
                Optional.empty(), Optional.of(VALIDATION), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty()));
    }

    @Test
    void theAveragingRoundsOfATimedPeriodAreWrittenAfterTheTimingAndReadBack() throws Exception {
        List<EpochRecord.AveragingRound> rounds = List.of(new EpochRecord.AveragingRound(5, 160),
                new EpochRecord.AveragingRound(3, 96), new EpochRecord.AveragingRound(3, 74));
        EpochRecord record = fitted(true, 0.02751).withAveragingRounds(rounds).completed(VALIDATION, 1.0, TASKS)
                .withBest(false);
        String line = record.toJsonLine();
        assertTrue(line.contains("\"timing\":" + Json.compact().writeValueAsString(TIMING) + ",\"averagingRounds\":"
                + "[{\"minibatchesPerWorker\":5,\"examples\":160},{\"minibatchesPerWorker\":3,\"examples\":96},"
                + "{\"minibatchesPerWorker\":3,\"examples\":74}],\"validation\":"), line);
        assertEquals(Optional.of(rounds), EpochRecord.fromJsonLine(line).averagingRounds());
        // as a checkpoint's training state holds it: parsed into maps first
        assertEquals(Optional.of(rounds), EpochRecord.fromJsonValue(Json.mapper().readValue(line, Map.class))
                .averagingRounds());
        assertEquals(line, EpochRecord.fromJsonLine(line).toJsonLine());
    }

    @Test
    void aFixedPeriodsRecordHasNoAveragingRounds() {
        assertFalse(fitted(false, 0.5).completed(VALIDATION, 1.0, TASKS).toJsonLine().contains("averagingRounds"));
    }
}
