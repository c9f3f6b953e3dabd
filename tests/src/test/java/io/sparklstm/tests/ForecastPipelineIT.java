package io.sparklstm.tests;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparklstm.jobs.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Multi-horizon forecasting on a slice of the real ETTh1 table, through the shipped config. */
class ForecastPipelineIT {

    @Test
    void etth1SliceForecastReportsErrorsPerHorizonStepOnBothScales(@TempDir Path dir) throws IOException {
        Path slice = Repo.etth1Head(dir, 1200);
        Path out = dir.resolve("forecast");
        int code = Main.execute(Repo.args("pipeline",
                "--conf", Repo.conf("datasets/etth1.conf").toString(),
                "--set", "input.path=" + slice,
                "--set", "split.trainEnd=", "--set", "split.validationEnd=", "--set", "split.testEnd=",
                "--set", "split.fractions=[0.6,0.2,0.2]",
                "--set", "timeseries.windowSteps=24", "--set", "timeseries.horizonSteps=6",
                "--set", "model.layers=[16]", "--set", "training.epochs=2",
                "--output", out.toString()));
        assertEquals(0, code);

        JsonNode summary = Repo.json(out.resolve("run/summary.json"));
        JsonNode test = summary.get("test");
        // rows [960, 1200) hold 240 - (24 + 6) + 1 windows
        assertEquals(211, test.get("examples").asInt());
        double mse = test.get("mse").asDouble();
        assertEquals(Math.sqrt(mse), test.get("rmse").asDouble(), 1e-5);
        assertTrue(test.get("mae").asDouble() > 0);
        assertTrue(test.get("mse_original").asDouble() > 0);
        assertEquals(Math.sqrt(test.get("mse_original").asDouble()), test.get("rmse_original").asDouble(), 1e-4);
        assertEquals(6, test.at("/perHorizonStep/mse").size());
        assertEquals(7, test.get("perTarget").size());
        assertTrue(mse < 5, "a trained forecaster of standardized data is not wildly off: " + mse);
    }
}
