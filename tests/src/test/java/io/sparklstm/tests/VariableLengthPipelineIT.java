package io.sparklstm.tests;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparklstm.jobs.cli.Main;
import io.sparklstm.jobs.registry.ModelLocation;
import io.sparklstm.model.StepwisePredictor;
import io.sparklstm.model.bundle.ModelBundle;
import io.sparklstm.model.data.DatasetManifest;
import io.sparklstm.model.data.Standardizer;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Variable-length sequences end to end: the shipped JapaneseVowels .ts files (7 to 29 steps per case) through
 * the shipped config and the command line, prepared with padding and masks, trained and scored.
 */
class VariableLengthPipelineIT {

    /**
     * A bidirectional classifier read out by the mean over the steps, on cases of 7 to 29 steps: scored 64 cases
     * at a time (padded to the longest of each 64) and 16 at a time, the same loss and confusion matrix, and the
     * same accuracy as predict on the raw test file. Before SequenceAligned the backward half read the padding
     * first, so a case's probabilities depended on the other cases of its minibatch.
     */
    @Test
    void aBidirectionalPooledClassifierScoresEachCaseWhateverItsMinibatch(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("jv-bidirectional");
        assertEquals(0, pipeline(out, "model.bidirectional=true", "model.pooling=mean", "model.layers=[32, 32]",
                "model.convLayers=[]", "training.epochs=2", "model.ensembleMembers=1"));
        JsonNode test = Repo.json(out.resolve("run/summary.json")).get("test");
        assertEquals(370, test.get("examples").asInt(), test.toString());
        assertTrue(test.get("accuracy").asDouble() > 0.5, test.toString());
        scoresAlikeInOtherMinibatches(dir, out, test);
    }

    /** The JapaneseVowels pipeline of the shipped config with these keys changed (KEY=VALUE), into {@code out}. */
    private static int pipeline(Path out, String... sets) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "--conf", Repo.conf("datasets/japanese-vowels.conf").toString(),
                "--set", "input.path=" + Repo.data("uea/JapaneseVowels_TRAIN.ts"),
                "--set", "ts.testPath=" + Repo.data("uea/JapaneseVowels_TEST.ts")));
        for (String set : sets) {
            args.add("--set");
            args.add(set);
        }
        args.add("--output");
        args.add(out.toString());
        return Main.execute(Repo.args("pipeline", args.toArray(String[]::new)));
    }

    /**
     * The run in {@code out} scored its test split 64 cases (4 files of 16, padded and masked together) at a time,
     * training.evalBatchSize = 64; evaluate file by file scores the same, and predict on the archive's raw test file
     * (the same 370 cases, padded and masked in other batches) the same accuracy. Returns predict's summary.
     */
    private static JsonNode scoresAlikeInOtherMinibatches(Path dir, Path out, JsonNode test) throws IOException {
        Path oneByOne = dir.resolve("file-by-file.json");
        assertEquals(0, Main.execute(Repo.args("evaluate", "--model", out.resolve("run").toString(),
                "--data", out.resolve("data").toString(), "--set", "training.evalBatchSize=16",
                "--output", oneByOne.toString())));
        JsonNode fileByFile = Repo.json(oneByOne).get("test");
        assertEquals(test.get("confusionMatrix"), fileByFile.get("confusionMatrix"));
        assertEquals(test.get("accuracy").asDouble(), fileByFile.get("accuracy").asDouble(), 0);
        assertEquals(test.get("loss").asDouble(), fileByFile.get("loss").asDouble(), 1e-5);
        Path scored = dir.resolve("scored");
        assertEquals(0, Main.execute(Repo.args("predict", "--model", out.resolve("run").toString(),
                "--input", Repo.data("uea/JapaneseVowels_TEST.ts").toString(), "--output", scored.toString(),
                "--format", "csv")));
        JsonNode predicted = Repo.json(scored.resolve("predict-summary.json"));
        assertEquals(test.get("accuracy").asDouble(), predicted.get("accuracy").asDouble(), 1.5 / 370,
                predicted.toString());
        return predicted;
    }

    @Test
    void japaneseVowelsFromTsFilesTrainsAndScoresTheArchivesTestSplit(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("jv");
        // one network of the shipped five: this test is about variable-length sequences (EnsembleIT covers
        // ensembles), and five would train five times as long
        assertEquals(0, pipeline(out, "training.epochs=3", "model.ensembleMembers=1"));

        JsonNode manifest = Repo.json(out.resolve("data").resolve(DatasetManifest.FILE_NAME));
        assertEquals("ts", manifest.get("kind").asText());
        assertEquals(29, manifest.get("windowSteps").asInt());
        assertEquals(12, manifest.get("featureNames").size());
        assertEquals(9, manifest.get("classNames").size());
        assertEquals(270, manifest.at("/splits/train/examples").asInt() + manifest.at("/splits/validation/examples").asInt());
        assertEquals(370, manifest.at("/splits/test/examples").asInt());

        JsonNode summary = Repo.json(out.resolve("run/summary.json"));
        JsonNode test = summary.get("test");
        assertEquals(370, test.get("examples").asInt(), test.toString());
        assertTrue(test.get("accuracy").isNumber(), test.toString());
        // Three epochs reach about 0.93 here; guessing among 9 speakers gives 0.11.
        assertTrue(test.get("accuracy").asDouble() > 0.7, test.toString());
        assertTrue(test.get("f1").asDouble() > 0.6, test.toString());

        JsonNode predicted = scoresAlikeInOtherMinibatches(dir, out, test);
        assertEquals(370, predicted.get("casesScored").asInt());
        assertEquals(370, predicted.get("labelledCases").asInt());

        // The shipped config reads the input through a convolution centred on each step: it cannot be stepped, and
        // says so rather than failing on the layer structure
        ModelBundle shipped = ModelLocation.loadBundle(out.resolve("run").toString(), new Configuration());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new StepwisePredictor(shipped.network()));
        assertTrue(refused.getMessage().contains("convolution front end (model.convLayers) cannot be stepped"),
                refused.getMessage());

        // Without the convolution, the stepwise predictor, fed each case one step at a time, gives the
        // probabilities predict wrote (cases of 7 to 29 steps, padded and masked together there)
        Path plain = dir.resolve("plain");
        assertEquals(0, pipeline(plain, "model.convLayers=[]", "training.epochs=1", "model.ensembleMembers=1"));
        Path plainScored = dir.resolve("plain-scored");
        assertEquals(0, Main.execute(Repo.args("predict", "--model", plain.resolve("run").toString(),
                "--input", Repo.data("uea/JapaneseVowels_TEST.ts").toString(), "--output", plainScored.toString(),
                "--format", "csv")));
        ModelBundle bundle = ModelLocation.loadBundle(plain.resolve("run").toString(), new Configuration());
        Standardizer normalizer = bundle.info().preparation().normalizer();
        StepwisePredictor stepwise = new StepwisePredictor(bundle.network());
        Map<Long, String[]> rows = new HashMap<>();
        try (Stream<Path> parts = Files.list(plainScored.resolve("predictions.csv"))) {
            for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
                List<String> lines = Files.readAllLines(part, StandardCharsets.UTF_8);
                for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                    String[] f = line.split(",");
                    rows.put(Long.parseLong(f[1]), f);
                }
            }
        }
        assertEquals(370, rows.size());
        List<String> tsLines = Files.readAllLines(Repo.data("uea/JapaneseVowels_TEST.ts"), StandardCharsets.UTF_8);
        int dataStart = tsLines.indexOf("@data") + 1;
        double worst = 0;
        for (int i = dataStart; i < dataStart + 40; i++) {
            String[] channels = tsLines.get(i).split(":");
            int steps = channels[0].split(",").length;
            double[][] input = new double[steps][12];
            for (int c = 0; c < 12; c++) {
                String[] v = channels[c].split(",");
                for (int t = 0; t < steps; t++) {
                    input[t][c] = (float) normalizer.transform(c, Double.parseDouble(v[t]));
                }
            }
            StepwisePredictor.State state = stepwise.newState();
            double[] probabilities = null;
            for (double[] step : input) probabilities = stepwise.step(state, step);
            String[] row = rows.get((long) i + 1);
            assertEquals(channels[12], row[2], "the given label, line " + (i + 1));
            for (int k = 0; k < 9; k++) {
                worst = Math.max(worst, Math.abs(probabilities[k] - Double.parseDouble(row[4 + k])));
            }
        }
        assertTrue(worst < 1e-5, "largest difference between stepwise and batch probabilities: " + worst);

        // predict has no rejected/: a malformed case line is an input error (exit 3) even with quarantine
        List<String> bad = new java.util.ArrayList<>(tsLines.subList(0, dataStart + 5));
        bad.set(dataStart + 2, "1,2:3,4:1");
        Path badFile = Files.write(dir.resolve("bad_TEST.ts"), bad, StandardCharsets.UTF_8);
        assertEquals(3, Main.execute(Repo.args("predict", "--model", out.resolve("run").toString(),
                "--input", badFile.toString(), "--output", dir.resolve("bad-scored").toString(), "--format", "csv",
                "--set", "input.onBadRecord=quarantine")));
        assertTrue(!Files.exists(dir.resolve("bad-scored")), "a failed predict leaves nothing behind");
    }
}
