package io.sparklstm.tests;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparklstm.jobs.cli.Main;
import io.sparklstm.jobs.evaluate.MinibatchFiles;
import io.sparklstm.model.Json;
import io.sparklstm.model.bundle.BundleInfo;
import io.sparklstm.model.bundle.LocalBundleStore;
import io.sparklstm.model.bundle.ModelBundle;
import io.sparklstm.prep.io.HadoopConf;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * model.ensembleMembers = 2 on synthetic control (one small epoch per member): the members' runs, the bundle of
 * both, and every use of it scored as the mean of the two networks, checked against the networks run here.
 */
class EnsembleIT {

    @TempDir
    static Path shared;
    private static Path data;
    private static Path run;

    @BeforeAll
    static void trainOnce() {
        data = shared.resolve("data");
        run = shared.resolve("run");
        assertEquals(0, Main.execute(Repo.args("prepare", "--conf", conf(),
                "--set", "input.path=" + input(), "--output", data.toString())));
        assertEquals(0, Main.execute(Repo.args("train", "--conf", conf(), "--set", "model.ensembleMembers=2",
                "--set", "training.epochs=1", "--set", "model.layers=[8]",
                "--data", data.toString(), "--output", run.toString())));
    }

    private static String conf() {
        return Repo.conf("datasets/synthetic-control.conf").toString();
    }

    private static String input() {
        return Repo.data("synthetic_control/synthetic_control.data").toString();
    }

    private static ModelBundle bundle(Path dir) throws IOException {
        return ModelBundle.readFrom(new LocalBundleStore(dir));
    }

    /** Accuracy on the test split's minibatch files of the mean output of {@code networks}, computed here. */
    private static double testAccuracy(List<MultiLayerNetwork> networks) throws IOException {
        JsonNode manifest = Repo.json(data.resolve("manifest.json"));
        int right = 0;
        int all = 0;
        for (JsonNode file : manifest.get("splits").get("test").get("files")) {
            DataSet batch = MinibatchFiles.load(data.resolve(file.asText()).toString(),
                    new HadoopConf(new Configuration()));
            INDArray sum = null;
            for (MultiLayerNetwork n : networks) {
                INDArray out = n.output(batch.getFeatures(), false, batch.getFeaturesMaskArray(), null);
                sum = sum == null ? out.dup() : sum.add(out);
            }
            INDArray predicted = sum.argMax(1);
            INDArray truth = batch.getLabels().argMax(1);
            for (int i = 0; i < batch.numExamples(); i++) {
                if (predicted.getLong(i) == truth.getLong(i)) right++;
                all++;
            }
        }
        return (double) right / all;
    }

    @Test
    void theRunsModelIsBothMembersAndItsMetricsTheirMeans() throws IOException {
        JsonNode bundleJson = Repo.json(run.resolve("model/bundle.json"));
        assertEquals(BundleInfo.ENSEMBLE_FORMAT_VERSION, bundleJson.get("formatVersion").asInt());
        assertEquals(2, bundleJson.get("spec").get("ensembleMembers").asInt());
        assertTrue(Files.exists(run.resolve("model/network-1.zip")));
        assertTrue(Files.exists(run.resolve("members/member-1/metrics.jsonl")), "member 1 is a run of its own");
        ModelBundle ensemble = bundle(run.resolve("model"));
        ModelBundle memberOne = bundle(run.resolve("members/member-1/model"));
        MultiLayerNetwork first = ensemble.ensemble().members().get(0);
        MultiLayerNetwork second = ensemble.ensemble().members().get(1);
        assertEquals(memberOne.network().params(), second.params(), "member 1's own model is the ensemble's second");
        assertEquals(1, memberOne.info().spec().ensembleMembers());

        JsonNode summary = Repo.json(run.resolve("summary.json"));
        JsonNode members = summary.get("training").get("members");
        assertEquals(2, members.size());
        long seed = members.get(0).get("seed").asLong();
        assertEquals(seed + 1, members.get(1).get("seed").asLong());
        assertEquals(seed + 1, memberOne.info().spec().seed());
        assertEquals(testAccuracy(List.of(first, second)), summary.get("test").get("accuracy").asDouble(), 1e-6);
        assertEquals(testAccuracy(List.of(first)), members.get(0).get("test").get("accuracy").asDouble(), 1e-6);
        assertEquals(testAccuracy(List.of(second)), members.get(1).get("test").get("accuracy").asDouble(), 1e-6);
        assertTrue(members.get(1).get("validation").has("loss"));
    }

    @Test
    void evaluateScoresTheEnsembleAsTrainingDid(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("metrics.json");
        assertEquals(0, Main.execute(Repo.args("evaluate", "--model", run.toString(), "--data", data.toString(),
                "--output", out.toString())));
        JsonNode test = Repo.json(out).get("test");
        JsonNode summary = Repo.json(run.resolve("summary.json")).get("test");
        assertEquals(summary.get("accuracy").asDouble(), test.get("accuracy").asDouble(), 1e-9);
        assertEquals(summary.get("loss").asDouble(), test.get("loss").asDouble(), 1e-6);
    }

    /** Each case's class probabilities as predict writes them (CSV), by file and line. */
    private static Map<String, double[]> probabilities(Path csvDir) throws IOException {
        Map<String, double[]> out = new HashMap<>();
        List<Path> parts;
        try (Stream<Path> files = Files.list(csvDir)) {
            parts = files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
        }
        for (Path part : parts) {
            List<String> lines = Files.readAllLines(part, StandardCharsets.UTF_8);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.split(",");
                double[] p = new double[f.length - 4];
                for (int j = 0; j < p.length; j++) p[j] = Double.parseDouble(f[4 + j]);
                out.put(f[0] + ":" + f[1], p);
            }
        }
        return out;
    }

    @Test
    void predictGivesTheMeanOfTheMembersProbabilities(@TempDir Path dir) throws IOException {
        // member 0 alone, as a bundle of one network: the ensemble's first network with member 0's spec
        ModelBundle ensemble = bundle(run.resolve("model"));
        Path memberZero = dir.resolve("member-0");
        new ModelBundle(ensemble.ensemble().members().get(0), new BundleInfo(BundleInfo.FORMAT_VERSION,
                ensemble.info().spec().member(0), ensemble.info().preparation(), Map.of(), Map.of(),
                ensemble.info().provenance())).writeTo(new LocalBundleStore(memberZero));
        Map<String, Map<String, double[]>> scored = new HashMap<>();
        for (Map.Entry<String, Path> model : Map.of("ensemble", run, "zero", memberZero,
                "one", run.resolve("members/member-1")).entrySet()) {
            Path out = dir.resolve("predict-" + model.getKey());
            assertEquals(0, Main.execute(Repo.args("predict", "--model", model.getValue().toString(),
                    "--input", input(), "--output", out.toString(), "--format", "csv")));
            scored.put(model.getKey(), probabilities(out.resolve("predictions.csv")));
        }
        assertEquals(600, scored.get("ensemble").size());
        for (Map.Entry<String, double[]> c : scored.get("ensemble").entrySet()) {
            double[] p0 = scored.get("zero").get(c.getKey());
            double[] p1 = scored.get("one").get(c.getKey());
            for (int j = 0; j < p0.length; j++) {
                assertEquals((p0[j] + p1[j]) / 2, c.getValue()[j], 1e-6, c.getKey());
            }
        }
    }

    @Test
    void resumeRefusesAnEnsembleNamingTheSetting() {
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(err, true), Repo.args("train", "--resume", run.toString()));
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("model.ensembleMembers = 2"), err.toString());
    }
}
