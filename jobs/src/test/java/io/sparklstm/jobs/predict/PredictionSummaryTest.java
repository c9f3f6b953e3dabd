package io.sparklstm.jobs.predict;

import io.sparklstm.model.Json;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * predict's {@code _summary.json} as it has always been written: the common keys, the counts of the kind of model
 * inline, then the outputs. Pinned against the map predict built before the summary was a record.
 */
class PredictionSummaryTest {

    private static final Map<String, String> OUTPUTS = Map.of("parquet", "/out/predictions.parquet");

    private static Map<String, Object> common(String task) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("createdAt", "2026-12-04T13:00:00Z");
        m.put("model", "/runs/a/model");
        m.put("modelDataFingerprint", "abc");
        m.put("input", "/data/*.csv");
        m.put("inputFingerprint", "def");
        m.put("task", task);
        return m;
    }

    private static String json(Object value) throws Exception {
        return Json.mapper().writeValueAsString(value);
    }

    @Test
    void aForecastersSummaryKeepsItsJson() throws Exception {
        PredictionSummary s = new PredictionSummary("2026-12-04T13:00:00Z", "/runs/a/model", "abc", "/data/*.csv",
                "def", "forecast", Optional.of(new PredictionSummary.ForecastCounts(List.of("load"), 3, 24,
                "every row with a full window before it", 1000L, 2L, 950L, 2850L, 4L)), Optional.empty(), OUTPUTS);
        Map<String, Object> old = common("forecast");
        old.put("targets", List.of("load"));
        old.put("horizonSteps", 3);
        old.put("windowSteps", 24);
        old.put("origins", "every row with a full window before it");
        old.put("rowsRead", 1000L);
        old.put("series", 2L);
        old.put("windowsScored", 950L);
        old.put("predictionRows", 2850L);
        old.put("windowsDroppedMissing", 4L);
        old.put("outputs", OUTPUTS);
        assertEquals(json(old), json(s));
    }

    @Test
    void aClassifiersSummaryHasItsAccuracyOnlyWithLabels() throws Exception {
        Map<String, Object> old = common("classification");
        old.put("classes", List.of("up", "down"));
        old.put("casesScored", 10L);
        old.put("labelledCases", 0L);
        old.put("outputs", OUTPUTS);
        assertEquals(json(old), json(new PredictionSummary("2026-12-04T13:00:00Z", "/runs/a/model", "abc",
                "/data/*.csv", "def", "classification", Optional.empty(), Optional.of(new PredictionSummary.ClassCounts(
                List.of("up", "down"), 10L, 0L, Optional.empty())), OUTPUTS)));
        old.remove("outputs");
        old.put("labelledCases", 8L);
        old.put("accuracy", 0.75);
        old.put("outputs", OUTPUTS);
        assertEquals(json(old), json(new PredictionSummary("2026-12-04T13:00:00Z", "/runs/a/model", "abc",
                "/data/*.csv", "def", "classification", Optional.empty(), Optional.of(new PredictionSummary.ClassCounts(
                List.of("up", "down"), 10L, 8L, Optional.of(0.75))), OUTPUTS)));
    }
}
