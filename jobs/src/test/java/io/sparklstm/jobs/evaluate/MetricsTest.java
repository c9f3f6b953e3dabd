package io.sparklstm.jobs.evaluate;

import io.sparklstm.model.Task;
import io.sparklstm.model.data.Preparation;
import io.sparklstm.model.data.Standardizer;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.regression.RegressionEvaluation;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MetricsTest {

    @Test
    void forecastErrorsAreReportedOnBothScales() {
        // two targets with std 2 and 10, horizon 2: columns [h0 a, h0 b, h1 a, h1 b]
        Preparation prep = new Preparation("timeseries", Task.FORECAST, List.of("a", "b"), List.of("a", "b"),
                List.of(), 4, 2, new Standardizer(List.of("a", "b"), new double[]{5, 50}, new double[]{2, 10}), "",
                Map.of());
        RegressionEvaluation e = new RegressionEvaluation(4);
        e.eval(Nd4j.createFromArray(new float[][]{{0, 0, 0, 0}}), Nd4j.createFromArray(new float[][]{{1, 1, 2, 2}}));
        EvalOutcome outcome = new EvalOutcome(e);
        outcome.add(0.25, 1);
        Map<String, Object> m = Metrics.of(outcome, prep).asJsonObject();
        assertEquals((1 + 1 + 4 + 4) / 4.0, (Double) m.get("mse"), 1e-6);
        assertEquals((1 + 1 + 2 + 2) / 4.0, (Double) m.get("mae"), 1e-6);
        assertEquals((1 * 4 + 1 * 100 + 4 * 4 + 4 * 100) / 4.0, (Double) m.get("mse_original"), 1e-6);
        assertEquals((1 * 2 + 1 * 10 + 2 * 2 + 2 * 10) / 4.0, (Double) m.get("mae_original"), 1e-6);
        assertEquals(Math.sqrt((Double) m.get("mse_original")), (Double) m.get("rmse_original"), 1e-6);
        @SuppressWarnings("unchecked")
        List<Double> stepMse = (List<Double>) ((Map<String, Object>) m.get("perHorizonStep")).get("mse");
        assertEquals(List.of(1.0, 4.0), stepMse);
    }
}
