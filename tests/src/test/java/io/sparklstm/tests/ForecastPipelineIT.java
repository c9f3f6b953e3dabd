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

    /** The shipped ETTh1 config on the first 1,200 hours, 60/20/20, a 24-hour window, 6 hours ahead, small and quick. */
    private static int pipeline(Path slice, Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("--conf", Repo.conf("datasets/etth1.conf").toString(),
                "--set", "input.path=" + slice,
                "--set", "split.trainEnd=", "--set", "split.validationEnd=", "--set", "split.testEnd=",
                "--set", "split.fractions=[0.6,0.2,0.2]",
                "--set", "timeseries.windowSteps=24", "--set", "timeseries.horizonSteps=6",
                "--set", "model.layers=[16]", "--set", "training.epochs=2",
                "--output", out.toString()));
        args.addAll(List.of(extra));
        return Main.execute(Repo.args("pipeline", args.toArray(String[]::new)));
    }

    @Test
    void etth1SliceForecastReportsErrorsPerHorizonStepOnBothScales(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("forecast");
        assertEquals(0, pipeline(Repo.etth1Head(dir, 1200), out));

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
        // Measured against the naive forecasts of the same windows: far better than the training mean (what a
        // network that outputs zeros on the standardized scale would forecast, had the naive forecast its targets
        // are measured from not been added back), and close to the best naive forecast (2 epochs of 16 units
        // were within 7% of it; noise or a wrong scale on the output is not).
        assertTrue(test.at("/skill/mean").asDouble() > 0.3, "skill over the training mean: " + test.get("skill"));
        String best = test.get("bestBaseline").asText();
        assertTrue(test.at("/skill/" + best).asDouble() > -0.15, "skill over " + best + ": " + test.get("skill"));
        assertEquals(1 - mse / test.at("/baselines/" + best + "/mse").asDouble(), test.at("/skill/" + best).asDouble(),
                1e-5);
    }
    /**
     * The naive forecasts the summary reports are those of the same test windows, recomputed here from the CSV
     * itself: persistence (the window's last hour), the seasonal naive forecast (the same hour a day earlier: the
     * season auto finds on an hourly table with a 24-hour window) and the training mean, all standardized with the
     * manifest's statistics. Trained on the residual over the seasonal forecast (targetOffset = season).
     */
    @Test
    void naiveForecastsOfTheSameWindowsAreReportedBesideTheModel(@TempDir Path dir) throws IOException {
        Path slice = Repo.etth1Head(dir, 1200);
        Path out = dir.resolve("forecast");
        assertEquals(0, pipeline(slice, out, "--set", "timeseries.targetOffset=season"));

        JsonNode manifest = Repo.json(out.resolve("data/manifest.json"));
        assertEquals("24", manifest.at("/settings/timeseries/season").asText());
        double[] mean = new double[7];
        double[] std = new double[7];
        for (int c = 0; c < 7; c++) {
            mean[c] = manifest.at("/normalizer/mean").get(c).asDouble();
            std[c] = manifest.at("/normalizer/std").get(c).asDouble();
        }
        List<String> lines = Files.readAllLines(slice, StandardCharsets.UTF_8);
        double[][] rows = new double[1200][7];
        for (int r = 0; r < 1200; r++) {
            String[] f = lines.get(r + 1).split(",");
            for (int c = 0; c < 7; c++) rows[r][c] = (Double.parseDouble(f[c + 1]) - mean[c]) / std[c];
        }
        double persistence = 0, seasonal = 0, zero = 0;
        int n = 0;
        for (int start = 960; start + 30 <= 1200; start++) {
            for (int h = 0; h < 6; h++) {
                for (int c = 0; c < 7; c++) {
                    double y = rows[start + 24 + h][c];
                    persistence += Math.pow(y - rows[start + 23][c], 2);
                    seasonal += Math.pow(y - rows[start + h][c], 2);
                    zero += y * y;
                    n++;
                }
            }
        }
        JsonNode test = Repo.json(out.resolve("run/summary.json")).get("test");
        assertEquals(211 * 6 * 7, n);
        assertEquals(persistence / n, test.at("/baselines/persistence/mse").asDouble(), 1e-4);
        assertEquals(seasonal / n, test.at("/baselines/seasonal/mse").asDouble(), 1e-4);
        assertEquals(zero / n, test.at("/baselines/mean/mse").asDouble(), 1e-4);
        for (String b : List.of("persistence", "seasonal", "mean")) {
            assertEquals(1 - test.get("mse").asDouble() / test.at("/baselines/" + b + "/mse").asDouble(),
                    test.at("/skill/" + b).asDouble(), 1e-5, b);
            assertEquals(6, test.at("/baselines/" + b + "/perHorizonStep/rmse").size(), b);
        }
        assertTrue(test.get("mase").asDouble() > 0, test.toString());
        String report = Files.readString(out.resolve("run/report.html"), StandardCharsets.UTF_8);
        String best = test.get("bestBaseline").asText();
        assertTrue(report.contains("On the test split the model ") && report.contains("the best naive forecast, "
                + best), "the report says how the model compares with the best naive forecast");
    }
}
