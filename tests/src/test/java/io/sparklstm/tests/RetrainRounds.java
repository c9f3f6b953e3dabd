package io.sparklstm.tests;

import io.sparklstm.jobs.registry.ModelRegistry;
import io.sparklstm.jobs.registry.RoundDecision;
import io.sparklstm.jobs.registry.RoundRecord;
import io.sparklstm.prep.output.CrashPoints;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Retraining rounds for the crash and lock tests: a few months of ETTh1, a tiny model, one epoch, run in this JVM
 * or in a child process that stops at a crash point ({@link CrashPoints}) to be killed with SIGKILL or let go on.
 */
final class RetrainRounds {

    static final String NAME = "etth1";
    private static final int MONTH_ROWS = 30 * 24;

    private RetrainRounds() {
    }

    /** The first {@code months} months of ETTh1 as a round's raw data. */
    static Path increment(Path dir, int months) throws IOException {
        Path raw = dir.resolve("raw-" + months);
        if (Files.isDirectory(raw)) return raw.resolve("etth1-head.csv");
        return Repo.etth1Head(Files.createDirectories(raw), months * MONTH_ROWS);
    }

    /** The retrain command line of {@code round}, with {@code extra} settings after the common ones. */
    static String[] args(Path registry, Path work, Path raw, String round, String... extra) {
        List<String> args = new ArrayList<>(List.of("--conf", Repo.conf("datasets/etth1.conf").toString(),
                "--set", "input.path=" + raw,
                "--set", "split.trainEnd=", "--set", "split.validationEnd=", "--set", "split.testEnd=",
                "--set", "split.fractions=[0.6,0.2,0.2]",
                "--set", "timeseries.windowSteps=24", "--set", "timeseries.horizonSteps=4",
                "--set", "timeseries.strideSteps=6",
                "--set", "model.layers=[8]", "--set", "training.epochs=1", "--set", "model.learningRate=0.01",
                "--set", "retrain.registry=" + registry.toUri(), "--set", "retrain.name=" + NAME,
                "--set", "retrain.metric=mse", "--set", "retrain.keepVersions=3",
                // the registry's mechanics, not whether a tiny model beats the naive forecasts
                "--set", "retrain.requireSkill=false",
                "--round", round, "--output", work.resolve(round).toString()));
        args.addAll(List.of(extra));
        return Repo.args("retrain", args.toArray(String[]::new));
    }

    /** A retrain process started through the launcher; paused at a crash point when one is armed. */
    static final class Child {
        private final Process process;
        private final Path log;
        private final Optional<Path> pause;

        private Child(Process process, Path log, Optional<Path> pause) {
            this.process = process;
            this.log = log;
            this.pause = pause;
        }

        /** Starts {@code args} (from {@link #args}) in a new JVM, pausing at {@code crashPoint} when given. */
        static Child start(Path dir, String label, String[] args, Optional<String> crashPoint) throws IOException {
            Path log = dir.resolve(label + ".log");
            Optional<Path> pause = crashPoint.map(p -> dir.resolve(label + ".paused"));
            List<String> command = new ArrayList<>(List.of(Repo.root().resolve("submit-scripts/spark-lstm").toString()));
            command.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().remove("SPARK_HOME");
            pb.environment().put("SPARK_LSTM_DRIVER_MEMORY", "1g");
            crashPoint.ifPresent(p -> pb.environment().put("SPARK_LSTM_JAVA_OPTS",
                    CrashPoints.jvmOptions(p, CrashPoints.Action.pause(pause.get()))));
            return new Child(pb.start(), log, pause);
        }

        /** Waits until the process stands still at its crash point; fails when it ends first. */
        Child awaitPause() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            while (!Files.exists(pause.orElseThrow())) {
                if (!process.isAlive()) {
                    fail("the retrain process ended (exit " + process.exitValue() + ") before its crash point: "
                            + Files.readString(log));
                }
                if (System.nanoTime() > deadline) fail("the crash point was not reached in 300 s: " + Files.readString(log));
                Thread.sleep(100);
            }
            return this;
        }

        /** SIGKILL: no finally blocks, no shutdown hooks, the lock left as it is. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the killed process did not end");
        }

        /** Lets a paused process go on; returns its exit code. */
        int release() throws Exception {
            Files.delete(pause.orElseThrow());
            return exitCode();
        }

        int exitCode() throws Exception {
            try {
                assertTrue(process.waitFor(300, TimeUnit.SECONDS), "the retrain process did not end");
            } finally {
                process.destroyForcibly();
            }
            return process.exitValue();
        }

        long pid() {
            return process.pid();
        }

        String log() throws IOException {
            return Files.readString(log);
        }
    }

    /** The registry of {@link #NAME} under {@code root}, read as the job reads it. */
    static ModelRegistry registry(Path root) {
        return new ModelRegistry(root.toUri().toString(), NAME, new Configuration());
    }

    /**
     * What must hold after any crash: CURRENT, when there, names a complete version that loads, and is there
     * once anything was promoted (never behind the last recorded promotion; ahead of it only by a promotion a
     * crash kept from being recorded); every round has at most one decision; no version is promoted twice; no
     * abandoned version is in service. Returns the version in service.
     */
    static Optional<Integer> assertConsistent(Path root) {
        ModelRegistry registry = registry(root);
        Optional<Integer> current = registry.current();
        current.ifPresent(v -> assertTrue(registry.bundle(v).network().numParams() > 0));
        List<RoundRecord> history = registry.history();
        Map<String, Object> decidedRounds = new HashMap<>();
        Map<Integer, Object> promoted = new HashMap<>();
        int lastPromoted = 0;
        for (RoundRecord h : history) {
            RoundDecision decision = h.decision();
            if (decision.decidesRound()) {
                assertFalse(decidedRounds.containsKey(String.valueOf(h.round())),
                        "round " + h.round() + " decided twice: " + history);
                decidedRounds.put(String.valueOf(h.round()), decision);
            }
            if (decision == RoundDecision.PROMOTED) {
                int version = h.version();
                assertFalse(promoted.containsKey(version), "version " + version + " promoted twice: " + history);
                promoted.put(version, h.round());
                lastPromoted = version;
            }
            if (decision == RoundDecision.ABANDONED) {
                assertFalse(current.equals(h.recordedVersion()),
                        "an abandoned version is in service: " + history);
            }
        }
        if (lastPromoted > 0) {
            assertTrue(current.isPresent(), "CURRENT is missing, but version " + lastPromoted + " was promoted");
            assertTrue(current.get() >= lastPromoted, "CURRENT " + current + " is behind the promotion of "
                    + lastPromoted);
        }
        return current;
    }

    /** After a round that ran to its end: consistent, CURRENT is the version last promoted, no staging left. */
    static Optional<Integer> assertSettled(Path root) throws IOException {
        Optional<Integer> current = assertConsistent(root);
        Optional<Integer> lastPromoted = Optional.empty();
        for (RoundRecord h : registry(root).history()) {
            if (h.decision() == RoundDecision.PROMOTED) lastPromoted = h.recordedVersion();
        }
        assertEquals(lastPromoted, current, "CURRENT names the version last promoted");
        assertEquals(List.of(), leftovers(root), "nothing left of crashed publications");
        return current;
    }

    /** The decisions on record, oldest first. */
    static List<String> decisions(Path root) {
        return registry(root).history().stream().map(h -> h.decision().label()).toList();
    }

    /** What is under {@code versions/} but complete versions: staging left by crashed publications. */
    static List<String> leftovers(Path root) throws IOException {
        Path versions = root.resolve(NAME).resolve("versions");
        if (!Files.isDirectory(versions)) return List.of();
        try (Stream<Path> s = Files.list(versions)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.matches("\\d+") && !n.endsWith(".crc"))
                    .sorted().toList();
        }
    }
}
