package io.sparklstm.tests;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparklstm.jobs.cli.Main;
import io.sparklstm.jobs.registry.ModelLocation;
import io.sparklstm.model.stream.ForecastStream;
import io.sparklstm.model.bundle.ModelBundle;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batch scoring of new ETTh1 rows with a model trained on earlier ones, and the streaming API giving the same
 * forecasts row by row.
 */
class PredictIT {

    private static final int WINDOW = 24;
    private static final int HORIZON = 4;
    private static final int STRIDE = 4;
    private static final List<String> TARGETS = List.of("HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL", "OT");

    @TempDir
    static Path dir;
    private static Path model;
    private static List<String> etth1;

    /** Trains a small forecaster on the first 1,200 hours, once for all tests. */
    @BeforeAll
    static void train() throws IOException {
        etth1 = Files.readAllLines(Repo.data("etth1/ETTh1.csv"), StandardCharsets.UTF_8);
        Path out = dir.resolve("trained");
        int code = Main.execute(Repo.args("pipeline",
                "--conf", Repo.conf("datasets/etth1.conf").toString(),
                "--set", "input.path=" + Repo.etth1Head(Files.createDirectories(dir.resolve("head")), 1200),
                "--set", "split.trainEnd=", "--set", "split.validationEnd=", "--set", "split.testEnd=",
                "--set", "split.fractions=[0.6,0.2,0.2]",
                "--set", "timeseries.windowSteps=" + WINDOW, "--set", "timeseries.horizonSteps=" + HORIZON,
                "--set", "timeseries.strideSteps=" + STRIDE,
                "--set", "model.layers=[8]", "--set", "training.epochs=1",
                "--output", out.toString()));
        assertEquals(0, code);
        model = out.resolve("run");
    }

    /** The header and the data rows {@code [from, to)} of ETTh1 (row 0 is the first data row). */
    private static Path rows(String name, int from, int to) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(etth1.get(0));
        lines.addAll(etth1.subList(from + 1, to + 1));
        Path file = Files.createDirectories(dir.resolve("new")).resolve(name);
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    private static int predict(Path input, Path output, String... extra) {
        List<String> args = new ArrayList<>(List.of("--model", model.toString(), "--input", input.toString(),
                "--output", output.toString()));
        args.addAll(Arrays.asList(extra));
        return Main.execute(Repo.args("predict", args.toArray(String[]::new)));
    }

    /** The CSV predictions: timestamp and step to the target values. */
    private static Map<String, double[]> csvPredictions(Path dir) throws IOException {
        Map<String, double[]> out = new HashMap<>();
        List<Path> parts;
        try (Stream<Path> files = Files.list(dir)) {
            parts = files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
        }
        for (Path part : parts) {
            List<String> lines = Files.readAllLines(part, StandardCharsets.UTF_8);
            if (lines.isEmpty()) continue;
            assertEquals("timestamp,step," + String.join(",", TARGETS), lines.get(0));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",");
                double[] values = new double[TARGETS.size()];
                for (int j = 0; j < values.length; j++) values[j] = Double.parseDouble(f[2 + j]);
                assertEquals(null, out.put(f[0] + "/" + f[1], values), "one row per timestamp and step: " + line);
            }
        }
        return out;
    }

    @Test
    void newRowsAreScoredInBothFormatsAndTheStreamGivesTheSameForecasts() throws IOException {
        Path input = rows("later.csv", 1200, 1500);
        Path out = dir.resolve("scored");
        assertEquals(0, predict(input, out, "--format", "parquet,csv"));

        JsonNode summary = Repo.json(out.resolve("predict-summary.json"));
        int windows = 300 - WINDOW + 1;
        assertEquals(300, summary.get("rowsRead").asInt());
        assertEquals(windows, summary.get("windowsScored").asInt());
        // counted by reading the Parquet output back
        assertEquals(windows * HORIZON, summary.get("predictionRows").asInt());
        assertTrue(Files.exists(out.resolve("predictions.parquet/_SUCCESS")));
        assertTrue(Files.exists(out.resolve("predictions.csv/_SUCCESS")));
        Map<String, double[]> batch = csvPredictions(out.resolve("predictions.csv"));
        assertEquals(windows * HORIZON, batch.size());

        // The stream is fed the same rows one at a time and must give the forecast of every full window.
        ModelBundle bundle = ModelLocation.loadBundle(model.toString(), new Configuration());
        ForecastStream stream = new ForecastStream(bundle);
        assertEquals(TARGETS, stream.numericColumns());
        assertEquals(TARGETS, stream.targets());
        int forecasts = 0;
        double worst = 0;
        for (int r = 1200; r < 1500; r++) {
            String[] f = etth1.get(r + 1).split(",");
            double[] values = new double[TARGETS.size()];
            for (int j = 0; j < values.length; j++) values[j] = Double.parseDouble(f[1 + j]);
            Optional<double[][]> forecast = stream.step("", values);
            assertEquals(r - 1200 >= WINDOW - 1, forecast.isPresent(), "row " + r);
            if (forecast.isEmpty()) continue;
            forecasts++;
            String timestamp = f[0];
            for (int h = 0; h < HORIZON; h++) {
                double[] expected = batch.get(timestamp + "/" + (h + 1));
                assertTrue(expected != null, "no batch forecast for " + timestamp + " step " + (h + 1));
                for (int j = 0; j < TARGETS.size(); j++) {
                    double diff = Math.abs(expected[j] - forecast.get()[h][j]);
                    worst = Math.max(worst, diff / Math.max(1, Math.abs(expected[j])));
                }
            }
        }
        assertEquals(windows, forecasts);
        // both paths run the same float network on the same float inputs, step by step or all at once
        assertTrue(worst < 1e-4, "largest relative difference between stream and batch: " + worst);
        System.out.println("stream vs batch: largest relative difference " + worst);
    }

    /**
     * predict on the raw rows of the model's test split gives, for each window of that split, the forecast that
     * evaluate scored: the errors computed here from predict's output and the true values in the CSV equal the
     * errors evaluate reported (in the data's units, per target and overall), so both run the same network on the
     * same inputs and undo the same offset and scaling.
     */
    @Test
    void predictGivesTheForecastsEvaluateScoredOnTheSameWindows() throws IOException {
        JsonNode manifest = Repo.json(model.resolve("../data/manifest.json"));
        assertEquals(etth1.get(960 + 1).split(",")[0].replace(' ', 'T').substring(0, 16),
                manifest.at("/splits/test/firstTime").asText(), "the test split starts at data row 960");
        assertEquals(240, manifest.at("/splits/test/rows").asInt());
        JsonNode evaluated = Repo.json(model.resolve("evaluation.json")).get("test");
        int windows = evaluated.get("examples").asInt();
        assertEquals((240 - WINDOW - HORIZON) / STRIDE + 1, windows);

        Path out = dir.resolve("test-split-scored");
        assertEquals(0, predict(rows("test-split.csv", 960, 1200), out, "--format", "csv"));
        Map<String, double[]> forecasts = csvPredictions(out.resolve("predictions.csv"));
        double[] absolute = new double[TARGETS.size()];
        double[] squared = new double[TARGETS.size()];
        for (int w = 0; w < windows; w++) {
            int last = 960 + w * STRIDE + WINDOW - 1; // the window's last input row
            String timestamp = etth1.get(last + 1).split(",")[0];
            for (int h = 1; h <= HORIZON; h++) {
                double[] forecast = forecasts.get(timestamp + "/" + h);
                assertTrue(forecast != null, "no forecast for " + timestamp + " step " + h);
                String[] actual = etth1.get(last + h + 1).split(",");
                for (int j = 0; j < TARGETS.size(); j++) {
                    double error = forecast[j] - Double.parseDouble(actual[1 + j]);
                    absolute[j] += Math.abs(error);
                    squared[j] += error * error;
                }
            }
        }
        int values = windows * HORIZON;
        double allAbsolute = 0;
        double allSquared = 0;
        for (int j = 0; j < TARGETS.size(); j++) {
            JsonNode target = evaluated.at("/perTarget/" + TARGETS.get(j));
            assertClose(target.get("mae_original").asDouble(), absolute[j] / values, TARGETS.get(j) + " mae");
            assertClose(target.get("rmse_original").asDouble(), Math.sqrt(squared[j] / values),
                    TARGETS.get(j) + " rmse");
            allAbsolute += absolute[j];
            allSquared += squared[j];
        }
        assertClose(evaluated.get("mae_original").asDouble(), allAbsolute / (values * TARGETS.size()), "mae");
        assertClose(evaluated.get("mse_original").asDouble(), allSquared / (values * TARGETS.size()), "mse");
    }

    /** Equal up to the 6 decimals the metrics files keep and float arithmetic. */
    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, 2e-6 + 1e-5 * Math.abs(expected), what);
    }

    @Test
    void lastOnlyParquetInputGivesTheSameForecastAsCsv() throws IOException {
        Path csv = rows("tail.csv", 1300, 1400);
        Path parquetDir = dir.resolve("parquet-input");
        Path stringsDir = dir.resolve("string-input");
        SparkSession spark = SparkSession.builder().master("local[1]").appName("predict-it")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        try {
            spark.read().option("header", "true").option("inferSchema", "true").csv(csv.toString())
                    .coalesce(1).write().parquet(parquetDir.toString());
            // every column a string: the numeric features have another type than the model reads
            spark.read().option("header", "true").csv(csv.toString())
                    .coalesce(1).write().parquet(stringsDir.toString());
        } finally {
            spark.stop();
        }

        Path fromCsv = dir.resolve("last-csv");
        Path fromParquet = dir.resolve("last-parquet");
        assertEquals(0, predict(csv, fromCsv, "--last-only", "--format", "csv"));
        assertEquals(0, predict(parquetDir, fromParquet, "--last-only", "--format", "csv",
                "--set", "input.format=parquet"));
        Map<String, double[]> a = csvPredictions(fromCsv.resolve("predictions.csv"));
        Map<String, double[]> b = csvPredictions(fromParquet.resolve("predictions.csv"));
        assertEquals(HORIZON, a.size(), "one window, the last: " + a.keySet());
        assertEquals(a.keySet(), b.keySet());
        for (String key : a.keySet()) {
            for (int j = 0; j < TARGETS.size(); j++) assertEquals(a.get(key)[j], b.get(key)[j], 1e-9, key);
        }

        String err = stderrOf(() -> assertEquals(3, predict(stringsDir, dir.resolve("strings-out"),
                "--set", "input.format=parquet")));
        assertTrue(err.contains("'HUFL' has type string"), err);
        assertFalse(Files.exists(dir.resolve("strings-out")), "nothing is written for data that does not fit");
    }

    @Test
    void dataWithoutAModelColumnOrWithAnotherWindowIsRefusedBeforeAnyWork() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : etth1.subList(0, 101)) lines.add(line.substring(0, line.lastIndexOf(',')));
        Path noOt = Files.createDirectories(dir.resolve("bad")).resolve("no-ot.csv");
        Files.write(noOt, lines, StandardCharsets.UTF_8);
        String err = stderrOf(() -> assertEquals(3, predict(noOt, dir.resolve("no-ot-out"))));
        assertTrue(err.contains("no-ot.csv") && err.contains("OT"), err);
        assertFalse(Files.exists(dir.resolve("no-ot-out")));

        // another kind of input altogether: the error says what the model reads, and nothing is left behind
        err = stderrOf(() -> assertEquals(3, predict(Repo.data("uea/JapaneseVowels_TEST.ts"),
                dir.resolve("wrong-kind-out"))));
        assertTrue(err.contains("JapaneseVowels_TEST.ts: no column 'date'"), err);
        assertTrue(err.contains("this model forecasts a time-series table (csv with a header) with timestamps in "
                + "[date] (format yyyy-MM-dd HH:mm:ss) and the input channels [HUFL, HULL, MUFL, MULL, LUFL, LULL, OT]"),
                err);
        assertFalse(Files.exists(dir.resolve("wrong-kind-out")));

        Path ok = rows("ok.csv", 0, 100);
        err = stderrOf(() -> assertEquals(2, predict(ok, dir.resolve("window-out"),
                "--set", "timeseries.windowSteps=48")));
        assertTrue(err.contains("timeseries.windowSteps = 48 differs from the model's 24"), err);
    }

    /**
     * New rows with three hours missing: the model's hourly grid (recorded as timeseries.frequency when it was
     * prepared) makes them missing steps, which its missing-value policy refuses, and interpolation fills; the
     * grid cannot be changed at scoring time.
     */
    @Test
    void missingHoursInNewDataAreMissingStepsOfTheModelsGrid() throws IOException {
        ModelBundle bundle = ModelLocation.loadBundle(model.toString(), new Configuration());
        assertEquals("1h", ((Map<?, ?>) bundle.info().preparation().settings().get("timeseries")).get("frequency"));
        List<String> lines = new ArrayList<>(Files.readAllLines(rows("gap.csv", 1200, 1500), StandardCharsets.UTF_8));
        lines.subList(101, 104).clear();
        Path gap = dir.resolve("new").resolve("gap.csv");
        Files.write(gap, lines, StandardCharsets.UTF_8);

        String err = stderrOf(() -> assertEquals(3, predict(gap, dir.resolve("gap-refused"))));
        assertTrue(err.contains("gap.csv:102: 3 missing step(s) of 1h"), err);
        assertFalse(Files.exists(dir.resolve("gap-refused").resolve("predict-summary.json")));

        Path out = dir.resolve("gap-filled");
        assertEquals(0, predict(gap, out, "--set", "timeseries.missing.default=interpolate"));
        JsonNode summary = Repo.json(out.resolve("predict-summary.json"));
        assertEquals(297, summary.get("rowsRead").asInt());
        assertEquals(300 - WINDOW + 1, summary.get("windowsScored").asInt());

        err = stderrOf(() -> assertEquals(2, predict(gap, dir.resolve("grid-out"), "--set",
                "timeseries.frequency=2h")));
        assertTrue(err.contains("timeseries.frequency = \"2h\" differs from the model's \"1h\""), err);
    }

    private static String stderrOf(Runnable action) {
        PrintStream saved = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(saved);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
