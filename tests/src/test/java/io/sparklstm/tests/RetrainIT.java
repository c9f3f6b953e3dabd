package io.sparklstm.tests;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparklstm.jobs.cli.Main;
import io.sparklstm.model.Json;
import io.sparklstm.model.bundle.ModelBundle;
import io.sparklstm.jobs.train.RunDirectory;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scheduled retraining on ETTh1 cut into monthly increments: each round sees one more month, its newest
 * fifth is the holdout on which champion and challenger are compared.
 */
class RetrainIT {

    private static final int MONTH_ROWS = 30 * 24;

    /** The first {@code months} months of ETTh1 as this round's raw data. */
    private static Path increment(Path dir, int months) throws IOException {
        return Repo.etth1Head(Files.createDirectories(dir.resolve("raw-" + months)), months * MONTH_ROWS);
    }

    private static String[] retrain(Path registry, Path work, Path raw, String round, String... extra) {
        List<String> args = new ArrayList<>(List.of("--conf", Repo.conf("datasets/etth1.conf").toString(),
                "--set", "input.path=" + raw,
                "--set", "split.trainEnd=", "--set", "split.validationEnd=", "--set", "split.testEnd=",
                "--set", "split.fractions=[0.6,0.2,0.2]",
                "--set", "timeseries.windowSteps=24", "--set", "timeseries.horizonSteps=4",
                "--set", "timeseries.strideSteps=6",
                "--set", "model.layers=[8]", "--set", "training.epochs=2", "--set", "model.learningRate=0.01",
                "--set", "retrain.registry=" + registry.toUri(), "--set", "retrain.name=etth1",
                "--set", "retrain.metric=mse", "--set", "retrain.keepVersions=3",
                // these rounds check the registry's mechanics with a tiny model, not whether it beats the naive
                // forecasts (aChallengerThatLosesToTheNaiveForecastIsNeverPutInService does)
                "--set", "retrain.requireSkill=false",
                "--round", round, "--output", work.resolve(round).toString()));
        args.addAll(Arrays.asList(extra));
        return Repo.args("retrain", args.toArray(String[]::new));
    }

    /** The decisions on record, as the registry reads them (history/, after history.jsonl of older registries). */
    private static List<JsonNode> history(Path registry) {
        return RetrainRounds.registry(registry).history().stream().map(h -> (JsonNode) Json.mapper().valueToTree(h))
                .toList();
    }

    private static int current(Path registry) throws IOException {
        int version = Integer.parseInt(Files.readString(registry.resolve("etth1/CURRENT")).trim());
        // CURRENT always names a complete, loadable bundle
        ModelBundle bundle = ModelBundle.readFrom(RunDirectory.store(
                new org.apache.hadoop.fs.Path(registry.resolve("etth1/versions/" + version).toUri()), new Configuration()));
        assertTrue(bundle.network().numParams() > 0);
        return version;
    }

    @Test
    void threeMonthlyRoundsEachDecidedOnTheSameHoldoutAndAWorseChallengerKept(@TempDir Path dir) throws Exception {
        Path registry = dir.resolve("registry");
        Path work = dir.resolve("work");

        // round 1: no champion, the first challenger is promoted
        assertEquals(0, Main.execute(retrain(registry, work, increment(dir, 4), "2016-10")));
        assertEquals(1, current(registry));

        // rounds 2 and 3: one more month each; the challenger starts from the champion, and both are scored on
        // the new holdout. Each decision is on record, whichever it is.
        for (String round : List.of("2016-11", "2016-12")) {
            int months = round.equals("2016-11") ? 5 : 6;
            int code = Main.execute(retrain(registry, work, increment(dir, months), round));
            assertTrue(code == 0 || code == 10, "round " + round + " exited " + code);
            current(registry);
        }
        List<JsonNode> history = history(registry);
        assertEquals(3, history.size());
        for (JsonNode h : history.subList(1, 3)) {
            assertTrue(h.at("/championMetrics/mse").isNumber() && h.at("/challengerMetrics/mse").isNumber(), h.toString());
            assertTrue(h.get("drift").get("features").size() == 7, "a shift per input channel: " + h);
            String decision = h.get("decision").asText();
            boolean better = h.at("/challengerMetrics/mse").asDouble() < h.at("/championMetrics/mse").asDouble();
            assertEquals(better ? "promoted" : "kept champion", decision, h.toString());
        }

        // a challenger made worse on purpose (a learning rate that wrecks the warm start) is not promoted
        int before = current(registry);
        assertEquals(10, Main.execute(retrain(registry, work, increment(dir, 6), "2016-12-bad",
                "--set", "model.learningRate=1.0", "--set", "model.clipping=none")));
        assertEquals(before, current(registry));
        JsonNode bad = history(registry).get(3);
        assertEquals("kept champion", bad.get("decision").asText());
        assertTrue(bad.at("/challengerMetrics/mse").asDouble() > bad.at("/championMetrics/mse").asDouble(), bad.toString());

        // a rerun of a decided round does nothing
        assertEquals(10, Main.execute(retrain(registry, work, increment(dir, 6), "2016-12-bad")));
        assertEquals(4, history(registry).size());

        // retention: at most 3 versions are kept, the one in service among them
        List<Integer> kept = versions(registry);
        assertTrue(kept.size() <= 3 && kept.contains(current(registry)), kept.toString());

        // the model in service scores new rows straight from the registry, with its own preparation
        Path scored = dir.resolve("scored");
        assertEquals(0, Main.execute(Repo.args("predict", "--model", registry.resolve("etth1").toString(),
                "--input", increment(dir, 6).toString(), "--output", scored.toString(), "--last-only")));
        JsonNode summary = Repo.json(scored.resolve("predict-summary.json"));
        assertEquals(1, summary.get("windowsScored").asInt());
        assertEquals(4, summary.get("predictionRows").asInt());
    }

    private static List<Integer> versions(Path registry) throws IOException {
        try (var versions = Files.list(registry.resolve("etth1/versions"))) {
            return versions.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+")).map(Integer::parseInt)
                    .sorted().toList();
        }
    }

    @Test
    void aSecondRunOnALockedRegistryExits75(@TempDir Path dir) throws Exception {
        Path registry = dir.resolve("registry");
        Files.createDirectories(registry.resolve("etth1"));
        // a live process on this host holds the lock: this test's own JVM
        Files.writeString(registry.resolve("etth1/LOCK"), "{\"host\":\"" + java.net.InetAddress.getLocalHost().getHostName()
                + "\",\"pid\":" + ProcessHandle.current().pid() + ",\"acquiredAtMillis\":" + System.currentTimeMillis() + "}");
        assertEquals(75, Main.execute(retrain(registry, dir.resolve("work"), increment(dir, 4), "r1")));
    }

    @Test
    void aChallengerThatLosesToTheNaiveForecastIsNeverPutInService(@TempDir Path dir) throws Exception {
        Path registry = dir.resolve("registry");
        // a learning rate that wrecks the fit, kept as it is (not shrunk toward the naive forecast): the first
        // challenger loses to the naive forecast
        assertEquals(10, Main.execute(retrain(registry, dir.resolve("work"), increment(dir, 4), "2016-10",
                "--set", "retrain.requireSkill=true", "--set", "model.learningRate=1.0",
                "--set", "model.clipping=none", "--set", "training.shrinkToNaive=false")));
        assertFalse(Files.exists(registry.resolve("etth1/CURRENT")), "no version is in service");
        JsonNode decision = history(registry).get(0);
        assertEquals("kept champion", decision.get("decision").asText());
        assertTrue(decision.get("reason").asText().contains("naive forecast on the holdout"), decision.toString());
        assertTrue(decision.at("/challengerMetrics/skill/" + decision.at("/figures/bestBaseline").asText())
                .asDouble() <= 0, decision.toString());
    }

    @Test
    void theSchedulingScriptRunsARoundAndPassesItsExitCodeOn(@TempDir Path dir) throws Exception {
        Path script = Repo.root().resolve("submit-scripts/retrain-scheduled");
        Process help = new ProcessBuilder(script.toString(), "--help").redirectErrorStream(true).start();
        String usage = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, help.waitFor());
        assertTrue(usage.contains("0 promoted, 10 champion kept, 75 registry locked"), usage);

        Process incomplete = new ProcessBuilder(script.toString(), "--name", "etth1").redirectErrorStream(true).start();
        String complaint = new String(incomplete.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, incomplete.waitFor());
        assertTrue(complaint.contains("missing --dataset --input --registry --work"), complaint);

        Path registry = dir.resolve("registry");
        List<String> command = new ArrayList<>(List.of(script.toString(),
                "--dataset", Repo.conf("datasets/etth1.conf").toString(), "--input", increment(dir, 4).toString(),
                "--registry", registry.toUri().toString(), "--name", "etth1", "--work", dir.resolve("work").toString(),
                "--round", "nightly-1", "--"));
        // the same small model and split as the other rounds, as extra options after --
        String[] extra = retrain(registry, dir.resolve("unused"), increment(dir, 4), "unused");
        for (int i = 0; i < extra.length; i++) {
            if (extra[i].equals("--set") && !extra[i + 1].startsWith("input.path")
                    && (!extra[i + 1].startsWith("retrain.") || extra[i + 1].startsWith("retrain.requireSkill"))) {
                command.add("--set");
                command.add(extra[i + 1]);
            }
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("scheduler.log").toFile());
        pb.environment().remove("SPARK_HOME");
        pb.environment().put("SPARK_LSTM_DRIVER_MEMORY", "1g");
        pb.environment().put("SPARK_LSTM_LOG_DIR", dir.resolve("logs").toString());
        Process round = pb.start();
        try {
            assertTrue(round.waitFor(400, TimeUnit.SECONDS));
        } finally {
            round.descendants().forEach(ProcessHandle::destroyForcibly);
            round.destroyForcibly();
        }
        String schedulerLog = Files.readString(dir.resolve("scheduler.log"));
        assertEquals(0, round.exitValue(), schedulerLog + Files.readString(dir.resolve("logs/etth1-nightly-1.log")));
        assertTrue(schedulerLog.contains("round nightly-1: promoted (exit 0)"), schedulerLog);
        assertTrue(Files.readString(dir.resolve("logs/etth1-nightly-1.log")).contains("retrain nightly-1: promoted"));
        assertEquals(1, current(registry));
    }
}
