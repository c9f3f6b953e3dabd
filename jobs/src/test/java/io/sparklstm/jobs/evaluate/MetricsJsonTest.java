package io.sparklstm.jobs.evaluate;

import io.sparklstm.model.Json;
import io.sparklstm.model.Task;
import io.sparklstm.model.data.Preparation;
import io.sparklstm.model.data.Standardizer;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.evaluation.regression.RegressionEvaluation;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JSON of a split's metrics, as summary.json, evaluation files, metrics.jsonl and registry rounds carry it:
 * keys, their order and the numbers pinned, so that a change in how the metrics are held in Java cannot change
 * a byte of what readers of those files see.
 */
class MetricsJsonTest {

    private static final Preparation FORECAST = new Preparation("timeseries", Task.FORECAST, List.of("a", "b"),
            List.of("a", "b"), List.of(), 4, 2,
            new Standardizer(List.of("a", "b"), new double[]{5, 50}, new double[]{2, 10}), "", Map.of());

    private static String json(Object metrics) throws Exception {
        return Json.compact().writeValueAsString(metrics);
    }

    private static RegressionEvaluation regression(float[] predicted) {
        RegressionEvaluation e = new RegressionEvaluation(4);
        e.eval(Nd4j.createFromArray(new float[][]{{0, 0, 0, 0}}), Nd4j.createFromArray(new float[][]{predicted}));
        return e;
    }

    @Test
    void forecastMetricsWithBaselinesAndMaseKeepTheirJson() throws Exception {
        Map<String, RegressionEvaluation> baselines = new LinkedHashMap<>();
        baselines.put("last", regression(new float[]{2, 2, 2, 2}));
        baselines.put("seasonal", regression(new float[]{1, 0.5f, 1, 0.5f}));
        EvalOutcome outcome = new EvalOutcome(regression(new float[]{1, 1, 2, 2}), baselines);
        outcome.add(0.25, 3);
        assertEquals("{\"examples\":3,\"loss\":0.25,\"mse\":2.5,\"mae\":1.5,\"rmse\":1.581139,"
                        + "\"mse_original\":130.0,\"mae_original\":9.0,\"rmse_original\":11.401754,"
                        + "\"perHorizonStep\":{\"mse\":[1.0,4.0],\"mae\":[1.0,2.0],\"rmse\":[1.0,2.0]},"
                        + "\"perTarget\":{\"a\":{\"mse\":2.5,\"mae\":1.5,\"rmse_original\":3.162278,"
                        + "\"mae_original\":3.0,\"mase\":3.0},\"b\":{\"mse\":2.5,\"mae\":1.5,\"rmse_original\":15.811388,"
                        + "\"mae_original\":15.0,\"mase\":0.75}},"
                        + "\"baselines\":{\"last\":{\"mse\":4.0,\"mae\":2.0,\"rmse\":2.0,\"mse_original\":208.0,"
                        + "\"mae_original\":12.0,\"rmse_original\":14.422205,"
                        + "\"perHorizonStep\":{\"mse\":[4.0,4.0],\"mae\":[2.0,2.0],\"rmse\":[2.0,2.0]},"
                        + "\"perTarget\":{\"a\":{\"mse\":4.0,\"mae\":2.0,\"rmse_original\":4.0,\"mae_original\":4.0},"
                        + "\"b\":{\"mse\":4.0,\"mae\":2.0,\"rmse_original\":20.0,\"mae_original\":20.0}}},"
                        + "\"seasonal\":{\"mse\":0.625,\"mae\":0.75,\"rmse\":0.790569,\"mse_original\":14.5,"
                        + "\"mae_original\":3.5,\"rmse_original\":3.807887,"
                        + "\"perHorizonStep\":{\"mse\":[0.625,0.625],\"mae\":[0.75,0.75],\"rmse\":[0.790569,0.790569]},"
                        + "\"perTarget\":{\"a\":{\"mse\":1.0,\"mae\":1.0,\"rmse_original\":2.0,\"mae_original\":2.0},"
                        + "\"b\":{\"mse\":0.25,\"mae\":0.5,\"rmse_original\":5.0,\"mae_original\":5.0}}}},"
                        + "\"skill\":{\"last\":0.375,\"seasonal\":-3.0},\"bestBaseline\":\"seasonal\",\"mase\":1.875}",
                json(Metrics.of(outcome, FORECAST, Optional.of(new double[]{0.5, 2}))));
    }

    @Test
    void theJsonObjectOfMetricsWritesTheSameBytesAsTheMetrics() throws Exception {
        Map<String, RegressionEvaluation> baselines = new LinkedHashMap<>();
        baselines.put("last", regression(new float[]{2, 2, 2, 2}));
        EvalOutcome outcome = new EvalOutcome(regression(new float[]{1, 1, 2, 2}), baselines);
        outcome.add(0.25, 3);
        Metrics metrics = Metrics.of(outcome, FORECAST, Optional.of(new double[]{0.5, 2}));
        assertEquals(json(metrics), json(metrics.asJsonObject()));
        assertEquals(2.5, metrics.value("mse").orElseThrow());
        assertEquals(1.875, metrics.value("mase").orElseThrow());
        assertTrue(metrics.value("accuracy").isEmpty());
    }

    @Test
    void forecastMetricsWithoutBaselinesKeepTheirJson() throws Exception {
        EvalOutcome outcome = new EvalOutcome(regression(new float[]{1, 1, 2, 2}));
        outcome.add(0.5, 2);
        assertEquals("{\"examples\":2,\"loss\":0.5,\"mse\":2.5,\"mae\":1.5,\"rmse\":1.581139,"
                        + "\"mse_original\":130.0,\"mae_original\":9.0,\"rmse_original\":11.401754,"
                        + "\"perHorizonStep\":{\"mse\":[1.0,4.0],\"mae\":[1.0,2.0],\"rmse\":[1.0,2.0]},"
                        + "\"perTarget\":{\"a\":{\"mse\":2.5,\"mae\":1.5,\"rmse_original\":3.162278,"
                        + "\"mae_original\":3.0},\"b\":{\"mse\":2.5,\"mae\":1.5,\"rmse_original\":15.811388,"
                        + "\"mae_original\":15.0}}}",
                json(Metrics.of(outcome, FORECAST)));
    }

    @Test
    void splitWithoutExamplesHasOnlyItsCountAndLoss() throws Exception {
        assertEquals("{\"examples\":0,\"loss\":\"NaN\"}",
                json(Metrics.of(new EvalOutcome(new RegressionEvaluation(4)), FORECAST)));
    }

    private static Evaluation classified() {
        Evaluation e = new Evaluation(3);
        e.eval(Nd4j.createFromArray(new float[][]{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0, 1, 0}}),
                Nd4j.createFromArray(new float[][]{{0.8f, 0.1f, 0.1f}, {0.1f, 0.8f, 0.1f}, {0.1f, 0.8f, 0.1f},
                        {0.1f, 0.8f, 0.1f}}));
        return e;
    }

    @Test
    void classificationMetricsKeepTheirJson() throws Exception {
        Preparation prep = new Preparation("uea", Task.CLASSIFICATION, List.of("x"), List.of(),
                List.of("up", "flat", "down"), 4, 0, null, "", Map.of());
        EvalOutcome outcome = new EvalOutcome(classified());
        outcome.add(0.75, 4);
        assertEquals("{\"examples\":4,\"loss\":0.75,\"accuracy\":0.75,\"f1\":0.9,\"precision\":0.833333,"
                        + "\"recall\":0.666667,\"classes\":[\"up\",\"flat\",\"down\"],"
                        + "\"confusionMatrix\":[[1,0,0],[0,2,0],[0,1,0]]}",
                json(Metrics.of(outcome, prep)));
    }

    @Test
    void perStepMetricsKeepTheirJson() throws Exception {
        Preparation prep = new Preparation("text", Task.STEP_CLASSIFICATION, List.of("x"), List.of(),
                List.of("a", "b", "c"), 4, 0, null, "", Map.of());
        EvalOutcome outcome = new EvalOutcome(classified());
        outcome.add(1.5, 4);
        assertEquals("{\"examples\":4,\"loss\":1.5,\"steps\":4,\"perplexity\":4.481689,\"bitsPerStep\":2.164043,"
                        + "\"accuracy\":0.75,\"f1\":0.9}",
                json(Metrics.of(outcome, prep)));
    }
}
