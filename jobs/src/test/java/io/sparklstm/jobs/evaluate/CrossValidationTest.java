package io.sparklstm.jobs.evaluate;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A cross-validation of forecasts reads each candidate against the naive forecasts of the same folds. */
class CrossValidationTest {

    private static ForecastErrors errors(double mse) {
        return new ForecastErrors(mse, 0, Math.sqrt(mse), mse, 0, Math.sqrt(mse),
                new ForecastErrors.HorizonErrors(List.of(mse), List.of(0.0), List.of(Math.sqrt(mse))), Map.of());
    }

    /** A fold of 100 windows: the model's MSE and the seasonal and persistence forecasts'. */
    private static Metrics fold(double mse, double seasonal, double persistence) {
        Map<String, ForecastErrors> baselines = new LinkedHashMap<>();
        baselines.put("persistence", errors(persistence));
        baselines.put("seasonal", errors(seasonal));
        Map<String, Double> skill = Map.of("persistence", 1 - mse / persistence, "seasonal", 1 - mse / seasonal);
        return new Metrics(100, mse, Optional.empty(), Optional.empty(), Optional.of(errors(mse)),
                Optional.of(new BaselineComparison(baselines, skill, Optional.of("seasonal"))), Optional.empty());
    }

    @Test
    void aForecastCandidateIsReadAgainstTheNaiveForecastWithTheLowestPooledErrorFoldByFold() {
        CrossValidation.Candidate ahead = new CrossValidation.Candidate("configured", List.of(),
                List.of(fold(0.5, 0.6, 1.0), fold(0.6, 0.8, 1.2)));
        CrossValidation.Candidate behindOnce = new CrossValidation.Candidate("wide", List.of("model.layers=[128]"),
                List.of(fold(0.5, 0.6, 1.0), fold(0.85, 0.8, 1.2)));

        CrossValidation.AgainstBaseline a = behindOnce.againstBaseline().orElseThrow();
        assertEquals("seasonal", a.baseline());
        assertEquals(1 - 0.675 / 0.7, a.skill(), 1e-12);
        assertArrayEquals(new double[]{1 - 0.5 / 0.6, 1 - 0.85 / 0.8}, a.skillByFold(), 1e-12);
        assertEquals(List.of(1), a.losingFolds());
        assertEquals(List.of(), ahead.againstBaseline().orElseThrow().losingFolds());

        CrossValidation cv = new CrossValidation(2, "loss", List.of(ahead, behindOnce));
        String table = cv.table();
        assertTrue(table.contains("skill vs seasonal +0.036 (folds +0.167 -0.063)"), table);
        assertTrue(table.contains("wide loses to the seasonal naive forecast in fold [1]"), table);
        assertTrue(table.startsWith("candidate         loss      s.e.  examples  folds (loss)"), table);
        assertTrue(table.contains("wide            0.6750    0.1750       200  0.500 0.850"), table);
        @SuppressWarnings("unchecked")
        Map<String, Object> wide = (Map<String, Object>) ((List<Object>) cv.asJson().get("candidates")).get(1);
        assertEquals("seasonal", wide.get("bestBaseline"));
        assertEquals(List.of(0.166667, -0.0625), wide.get("skillByFold"));

        CrossValidation alone = new CrossValidation(2, "loss", List.of(ahead));
        assertTrue(alone.table().contains("every candidate beats the best naive forecast in every fold"),
                alone.table());
        Metrics classified = new Metrics(100, 0.3, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
        assertFalse(new CrossValidation.Candidate("c", List.of(), List.of(classified)).againstBaseline().isPresent());
    }
}
