package io.sparklstm.tests;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparklstm.jobs.cli.Main;
import io.sparklstm.jobs.registry.ModelLocation;
import io.sparklstm.model.data.DatasetManifest;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * prepare.perSequence = standardize with sequenceStats end to end on the variable-length JapaneseVowels files: each
 * prepared case has mean 0 and standard deviation 1 per channel over its own steps (padding aside), followed by
 * its channels' means and standard deviations, constant over its steps; and predict, which prepares the raw test
 * file itself, gives every case the probabilities the network gives the prepared test split.
 */
class PerSequencePipelineIT {

    private static final int CHANNELS = 12;
    private static final int CLASSES = 9;

    @Test
    void predictStandardizesEachCaseOnItsOwnAsPrepareDid(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("jv");
        Path testFile = Repo.data("uea/JapaneseVowels_TEST.ts");
        assertEquals(0, Main.execute(Repo.args("pipeline",
                "--conf", Repo.conf("datasets/japanese-vowels.conf").toString(),
                "--set", "input.path=" + Repo.data("uea/JapaneseVowels_TRAIN.ts"),
                "--set", "ts.testPath=" + testFile,
                "--set", "prepare.perSequence=standardize", "--set", "prepare.sequenceStats=true",
                "--set", "model.layers=[8]", "--set", "training.epochs=1", "--set", "model.ensembleMembers=1",
                "--output", out.toString())));

        Path data = out.resolve("data");
        JsonNode manifest = Repo.json(data.resolve(DatasetManifest.FILE_NAME));
        assertEquals("standardize", manifest.at("/settings/prepare/perSequence").asText());
        assertEquals(3 * CHANNELS, manifest.get("featureNames").size());
        assertEquals("channel0.mean", manifest.get("featureNames").get(CHANNELS).asText());
        MultiLayerNetwork net = ModelLocation.loadBundle(out.resolve("run").toString(), new Configuration()).network();
        List<double[]> prepared = new ArrayList<>();
        for (JsonNode file : manifest.at("/splits/test/files")) {
            DataSet batch = new DataSet();
            batch.load(data.resolve(file.asText()).toFile());
            assertStandardizedPerCase(batch);
            INDArray probabilities = net.output(batch.getFeatures(), false, batch.getFeaturesMaskArray(), null);
            for (int i = 0; i < batch.numExamples(); i++) prepared.add(probabilities.getRow(i).toDoubleVector());
        }
        assertEquals(370, prepared.size());

        Path scored = dir.resolve("scored");
        assertEquals(0, Main.execute(Repo.args("predict", "--model", out.resolve("run").toString(),
                "--input", testFile.toString(), "--output", scored.toString(), "--format", "csv")));
        // the test split holds the test file's cases in line order
        List<double[]> predicted = new ArrayList<>(predictedByLine(scored.resolve("predictions.csv")).values());
        assertEquals(370, predicted.size());
        double worst = 0;
        for (int k = 0; k < predicted.size(); k++) {
            for (int j = 0; j < CLASSES; j++) {
                worst = Math.max(worst, Math.abs(predicted.get(k)[j] - prepared.get(k)[j]));
            }
        }
        assertTrue(worst < 1e-5, "largest difference between predict's and the prepared split's probabilities: "
                + worst);

        // the transform is the model's: predict refuses to prepare new data otherwise
        assertEquals(2, Main.execute(Repo.args("predict", "--model", out.resolve("run").toString(),
                "--input", testFile.toString(), "--output", dir.resolve("other").toString(),
                "--set", "prepare.perSequence=none")));
        assertFalse(Files.exists(dir.resolve("other")));
    }

    /**
     * Every case of a batch, per channel over its unmasked steps: mean 0 and (population) standard deviation 1; the
     * statistics channels after them constant.
     */
    private static void assertStandardizedPerCase(DataSet batch) {
        INDArray features = batch.getFeatures();
        INDArray mask = batch.getFeaturesMaskArray();
        for (int i = 0; i < batch.numExamples(); i++) {
            int steps = mask == null ? (int) features.size(2) : mask.getRow(i).sumNumber().intValue();
            for (int c = 0; c < CHANNELS; c++) {
                double sum = 0;
                double squares = 0;
                for (int t = 0; t < steps; t++) {
                    double v = features.getDouble(i, c, t);
                    sum += v;
                    squares += v * v;
                }
                double mean = sum / steps;
                assertEquals(0.0, mean, 1e-5, "case " + i + " channel " + c);
                assertEquals(1.0, Math.sqrt(squares / steps - mean * mean), 1e-4, "case " + i + " channel " + c);
            }
            for (int c = CHANNELS; c < 3 * CHANNELS; c++) {
                for (int t = 1; t < steps; t++) {
                    assertEquals(features.getDouble(i, c, 0), features.getDouble(i, c, t), "case " + i + " channel " + c);
                }
            }
        }
    }

    /** predict's CSV rows: line to the class probabilities, in line order. */
    private static Map<Long, double[]> predictedByLine(Path csv) throws IOException {
        Map<Long, double[]> rows = new TreeMap<>();
        List<Path> parts;
        try (Stream<Path> files = Files.list(csv)) {
            parts = files.filter(p -> p.getFileName().toString().startsWith("part-")).toList();
        }
        for (Path part : parts) {
            List<String> lines = Files.readAllLines(part, StandardCharsets.UTF_8);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.split(",");
                double[] p = new double[CLASSES];
                for (int j = 0; j < CLASSES; j++) p[j] = Double.parseDouble(f[4 + j]);
                rows.put(Long.parseLong(f[1]), p);
            }
        }
        return rows;
    }
}
