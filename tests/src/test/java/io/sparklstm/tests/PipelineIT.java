package io.sparklstm.tests;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparklstm.jobs.cli.Main;
import io.sparklstm.model.bundle.LocalBundleStore;
import io.sparklstm.model.bundle.ModelBundle;
import io.sparklstm.model.data.DatasetManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** prepare -> train -> evaluate through the command line, on real data, with a real local Spark. */
class PipelineIT {

    @Test
    void syntheticControlPipelineWritesDatasetRunAndABundleThatScoresTheSame(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("pipeline");
        int code = Main.execute(Repo.args("pipeline",
                "--conf", Repo.conf("datasets/synthetic-control.conf").toString(),
                "--set", "input.path=" + Repo.data("synthetic_control/synthetic_control.data"),
                "--set", "training.epochs=6",
                "--output", out.toString()));
        assertEquals(0, code);

        JsonNode manifest = Repo.json(out.resolve("data").resolve(DatasetManifest.FILE_NAME));
        assertEquals(600, manifest.at("/splits/train/examples").asInt() + manifest.at("/splits/validation/examples").asInt()
                + manifest.at("/splits/test/examples").asInt());
        assertEquals(6, manifest.get("classNames").size());

        Path run = out.resolve("run");
        List<String> epochs = Files.readAllLines(run.resolve("metrics.jsonl"), StandardCharsets.UTF_8);
        assertEquals(6, epochs.size());
        JsonNode last = io.sparklstm.model.Json.mapper().readTree(epochs.get(5));
        assertTrue(last.get("trainLoss").asDouble() > 0);
        assertTrue(last.get("samplesPerSecond").asDouble() > 0);
        // every training example is fitted once per epoch, none skipped by the averaging rounds
        assertEquals(manifest.at("/splits/train/examples").asLong(), last.get("trainExamples").asLong());
        assertTrue(last.at("/validation/accuracy").isNumber());
        // where the epoch's time went, from dl4j-spark's statistics, and what Spark's scheduler went through
        assertTrue(last.at("/timing/workerFitSeconds").asDouble() > 0, last.toString());
        assertTrue(last.at("/timing/driverFitSeconds").asDouble() >= last.at("/timing/sparkJobSeconds").asDouble());
        assertTrue(last.at("/sparkTasks/tasks").asLong() > 0, last.toString());
        assertEquals(0, last.at("/sparkTasks/failedTasks").asLong());

        JsonNode summary = Repo.json(run.resolve("summary.json"));
        for (String split : List.of("train", "validation", "test")) {
            assertTrue(summary.at("/" + split + "/accuracy").isNumber(), split);
            assertTrue(summary.at("/" + split + "/f1").isNumber(), split);
            assertTrue(summary.at("/" + split + "/loss").isNumber(), split);
        }
        // six epochs are far from the full run's 0.98, but twice the rate of always answering the test split's
        // most frequent class, which a constant classifier reaches
        double majority = majorityRate(summary.at("/test/confusionMatrix"));
        assertTrue(summary.at("/test/accuracy").asDouble() > 2 * majority,
                "accuracy against the majority class's rate " + majority + ": " + summary.at("/test"));
        assertEquals(6, summary.at("/test/confusionMatrix").size());
        String report = Files.readString(run.resolve("report.html"));
        assertTrue(report.contains("Final metrics"));
        assertTrue(report.contains("Where each epoch's time went"));
        assertTrue(Files.exists(run.resolve("config.conf")));
        assertTrue(summary.at("/training/timing/workerFitSeconds").asDouble()
                >= last.at("/timing/workerFitSeconds").asDouble());
        assertEquals(0, summary.at("/training/sparkTasks/failedTasks").asLong());

        // one network (model.ensembleMembers = 1 by default): the bundle and run of before ensembles
        try (java.util.stream.Stream<Path> model = Files.list(run.resolve("model"))) {
            assertEquals(java.util.Set.of("bundle.json", "network.zip"),
                    model.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")) // not Hadoop's checksums
                            .collect(java.util.stream.Collectors.toSet()));
        }
        assertEquals(1, Repo.json(run.resolve("model/bundle.json")).get("formatVersion").asInt());
        assertFalse(Repo.json(run.resolve("model/bundle.json")).get("spec").has("ensembleMembers"));
        assertFalse(summary.at("/training").has("members"));
        assertFalse(Files.exists(run.resolve("members")));

        // The pipeline scored the bundle as read back from disk: same metrics as at the end of training.
        JsonNode evaluation = Repo.json(run.resolve("evaluation.json"));
        assertEquals(summary.at("/test/accuracy").asDouble(), evaluation.at("/test/accuracy").asDouble(), 1e-9);
        assertEquals(summary.at("/test/loss").asDouble(), evaluation.at("/test/loss").asDouble(), 1e-6);

        // predict classifies raw lines without labels: a class and six probabilities for each of the 600
        Path unlabelled = dir.resolve("unlabelled.data");
        Files.write(unlabelled, Files.readAllLines(Repo.data("synthetic_control/synthetic_control.data")));
        Path scored = dir.resolve("scored");
        assertEquals(0, Main.execute(Repo.args("predict", "--model", run.toString(), "--input", unlabelled.toString(),
                "--output", scored.toString(), "--format", "csv", "--set", "sequences.label=none")));
        JsonNode predicted = Repo.json(scored.resolve("predict-summary.json"));
        assertEquals(600, predicted.get("casesScored").asInt());
        assertEquals(0, predicted.get("labelledCases").asInt());
        int rows = 0;
        try (java.util.stream.Stream<Path> parts = Files.list(scored.resolve("predictions.csv"))) {
            for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
                List<String> lines = Files.readAllLines(part, StandardCharsets.UTF_8);
                if (lines.isEmpty()) continue;
                assertTrue(lines.get(0).startsWith("file,line,label,predicted,p_normal,p_cyclic,"), lines.get(0));
                for (String line : lines.subList(1, lines.size())) {
                    String[] f = line.split(",");
                    double sum = 0;
                    for (int k = 4; k < 10; k++) sum += Double.parseDouble(f[k]);
                    assertEquals(1.0, sum, 1e-5, line);
                    assertEquals("", f[2], "no label: " + line);
                    rows++;
                }
            }
        }
        assertEquals(600, rows);

        // Scoring over them again with data that fails midway keeps them whole and leaves nothing beside them.
        byte[] scoredSummary = Files.readAllBytes(scored.resolve("predict-summary.json"));
        List<String> lines = Files.readAllLines(unlabelled);
        lines.set(300, lines.get(300) + " oops");
        Path bad = Files.write(dir.resolve("bad.data"), lines);
        assertEquals(3, Main.execute(Repo.args("predict", "--model", run.toString(), "--input", bad.toString(),
                "--output", scored.toString(), "--overwrite", "--format", "csv", "--set", "sequences.label=none")));
        assertArrayEquals(scoredSummary, Files.readAllBytes(scored.resolve("predict-summary.json")));
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString()).filter(n -> n.contains(".partial-"))
                    .toList());
        }

        // And the bundle predicts what the trained network predicted: its recorded test metrics.
        ModelBundle bundle = ModelBundle.readFrom(new LocalBundleStore(run.resolve("model")));
        assertEquals(summary.at("/test/accuracy").asDouble(),
                ((Number) bundle.info().metrics().get("test").get("accuracy")).doubleValue(), 1e-9);
        String firstTestFile = manifest.at("/splits/test/files/0").asText();
        DataSet batch = new DataSet();
        batch.load(out.resolve("data").resolve(firstTestFile).toFile());
        INDArray probabilities = bundle.predict(batch.getFeatures(), null);
        assertEquals(batch.numExamples(), probabilities.rows());
    }

    /** The share of the most frequent actual class (the rows of a confusion matrix), what a constant guess scores. */
    static double majorityRate(JsonNode confusionMatrix) {
        long total = 0;
        long most = 0;
        for (JsonNode actual : confusionMatrix) {
            long count = 0;
            for (JsonNode predicted : actual) count += predicted.asLong();
            total += count;
            most = Math.max(most, count);
        }
        assertTrue(total > 0, "an empty confusion matrix");
        return (double) most / total;
    }

    @Test
    void evaluateScoresASavedRunOnAnySplit(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("p");
        assertEquals(0, Main.execute(Repo.args("pipeline",
                "--conf", Repo.conf("datasets/synthetic-control.conf").toString(),
                "--set", "input.path=" + Repo.data("synthetic_control/synthetic_control.data"),
                "--set", "training.epochs=2",
                "--output", out.toString())));
        Path metrics = dir.resolve("metrics.json");
        assertEquals(0, Main.execute(Repo.args("evaluate", "--model", out.resolve("run").toString(),
                "--data", out.resolve("data").toString(), "--split", "validation,test",
                "--output", metrics.toString())));
        JsonNode evaluated = Repo.json(metrics);
        JsonNode summary = Repo.json(out.resolve("run/summary.json"));
        for (String split : List.of("validation", "test")) {
            assertEquals(summary.at("/" + split + "/accuracy").asDouble(), evaluated.at("/" + split + "/accuracy").asDouble(),
                    1e-9, split);
        }
    }
}
