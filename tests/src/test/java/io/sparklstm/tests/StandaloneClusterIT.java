package io.sparklstm.tests;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparklstm.jobs.BuildInfo;
import io.sparklstm.jobs.cli.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The job on a real standalone cluster (master + 2 workers of 1 core, started by submit-scripts/standalone-cluster,
 * authentication and encryption on), submitted through the launcher and spark-submit in client mode: executors are
 * separate JVMs, results match local mode, processes that die are survived, bad data fails as in local mode.
 * The test that stops a worker for good runs last.
 */
@Tag("cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterIT {

    /** Cluster and local runs train the same small model on the same data with 2 workers; they must agree this well. */
    static final double ACCURACY_TOLERANCE = 0.05;
    private static final Pattern APP_ID = Pattern.compile("app-\\d{14}-\\d{4}");

    /** Few epochs and a small network: the behaviour under test is the cluster's, not the model's. */
    private static final String[] SMALL = {"--conf", "conf/datasets/synthetic-control.conf",
            "--set", "training.epochs=3", "--set", "model.layers=[16]"};

    @TempDir
    static Path shared;
    private static StandaloneCluster cluster;
    private static Path localData;
    private static Path localRun;
    private static double localAccuracy;

    /** Drivers the cluster must refuse, started with the cluster and checked in onlyADriverWithTheClusterSecretIsServed. */
    private static Submission noAuth;
    private static Submission wrongSecret;

    @BeforeAll
    static void startClusterAndTrainLocally() throws Exception {
        cluster = StandaloneCluster.start(shared.resolve("cluster"), 2);
        // Spark's client gives up on a refused driver only after three 20 s registration attempts: the two drivers
        // without the cluster's secret spend that minute beside the local reference run and the first tests.
        Path refused = Files.createDirectories(shared.resolve("refused"));
        Path wrong = StandaloneCluster.writeSecret(refused.resolve("wrong-secret"), "not-the-cluster-secret");
        noAuth = Submission.start(cluster, null, refused.resolve("no-auth.log"), "prepare",
                prepareArgs("--conf", "spark.app.name=refused-no-auth", "--output", refused.resolve("a").toString()));
        wrongSecret = Submission.start(cluster, wrong, refused.resolve("wrong.log"), "prepare",
                prepareArgs("--env", "conf/env/standalone.conf", "--conf", "spark.app.name=refused-wrong-secret",
                        "--output", refused.resolve("b").toString()));
        // The local-mode reference: the same data, model and epochs, local[2] (2 workers, as on the cluster).
        localData = shared.resolve("local/data");
        localRun = shared.resolve("local/run");
        assertEquals(0, Main.execute(Repo.args("prepare", "--conf", conf(), "--set", "input.path=" + rawData(),
                "--output", localData.toString())));
        assertEquals(0, Main.execute(Repo.args("train", "--conf", conf(), "--set", "training.epochs=3",
                "--set", "model.layers=[16]", "--data", localData.toString(), "--output", localRun.toString())));
        localAccuracy = testAccuracy(localRun);
        System.out.printf("local mode: test accuracy %.4f%n", localAccuracy);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (Submission refused : new Submission[]{noAuth, wrongSecret}) {
            if (refused != null) refused.close();
        }
        if (cluster != null) {
            List<ProcessHandle> started = new ArrayList<>(cluster.executors());
            cluster.daemonPids().forEach(pid -> ProcessHandle.of(pid).ifPresent(started::add));
            cluster.close();
            for (ProcessHandle process : started) {
                assertTrue(process.onExit().get(30, TimeUnit.SECONDS) != null, "pid " + process.pid() + " stopped");
            }
        }
    }

    private static String conf() {
        return Repo.conf("datasets/synthetic-control.conf").toString();
    }

    private static String rawData() {
        return Repo.data("synthetic_control/synthetic_control.data").toString();
    }

    private static double testAccuracy(Path run) throws IOException {
        return Repo.json(run.resolve("summary.json")).at("/test/accuracy").asDouble();
    }

    private static String appId(Submission submission) throws IOException {
        Matcher m = APP_ID.matcher(submission.output());
        if (!m.find()) fail("no application ID in the driver's log:\n" + submission.tail());
        return m.group();
    }

    /** prepare's arguments for the shipped synthetic control data, then {@code more}. */
    private static String[] prepareArgs(String... more) {
        return with(new String[]{"--conf", "conf/datasets/synthetic-control.conf", "--set", "input.path=" + rawData()},
                more);
    }

    private static String[] with(String[] base, String... more) {
        List<String> all = new ArrayList<>(List.of(base));
        Collections.addAll(all, more);
        return all.toArray(String[]::new);
    }

    private static Submission submit(Path log, String command, String... args) throws IOException {
        return Submission.start(cluster, cluster.secretFile, log, command,
                with(new String[]{"--env", "conf/env/standalone.conf"}, args));
    }

    @Test
    @Order(1)
    void pipelineRunsInExecutorJvmsApartFromTheDriverAndMatchesLocalMode(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        try (Submission pipeline = submit(dir.resolve("driver.log"), "pipeline",
                with(SMALL, "--set", "input.path=" + rawData(), "--output", out.toString()))) {
            assertEquals(0, pipeline.waitFor(600), pipeline.tail());
            long driverPid = pipeline.driver.pid();
            String appId = appId(pipeline);

            Set<Long> executorPids = new HashSet<>();
            Set<Path> workersUsed = new HashSet<>();
            for (Path executor : cluster.executorDirs(appId)) {
                StandaloneCluster.executorPid(executor).ifPresent(executorPids::add);
                workersUsed.add(executor.getParent().getParent());
            }
            System.out.printf("cluster: driver pid %d, executor pids %s, test accuracy %.4f (local %.4f)%n",
                    driverPid, executorPids, testAccuracy(out.resolve("run")), localAccuracy);
            assertEquals(2, workersUsed.size(), "an executor on each worker: " + workersUsed);
            assertTrue(executorPids.size() >= 2, "two executor JVMs: " + executorPids);
            assertFalse(executorPids.contains(driverPid), "executors are not the driver");
            assertFalse(executorPids.contains(ProcessHandle.current().pid()), "executors are not this test JVM");

            JsonNode summary = Repo.json(out.resolve("run/summary.json"));
            assertEquals(3, summary.at("/training/epochs").asInt(), summary.toString());
            assertEquals(localAccuracy, testAccuracy(out.resolve("run")), ACCURACY_TOLERANCE);
            assertTrue(Files.exists(out.resolve("run/model/bundle.json")));
        }
    }

    /**
     * {@code doctor} on the cluster: every executor is a JVM of its own whose Spark and Scala versions come from the
     * cluster's SPARK_HOME (standalone-cluster assembles the line the job jar was built for), so each must report
     * the build's versions and the check must pass.
     */
    @Test
    @Order(2)
    void doctorOnTheClusterReportsTheBuildsSparkAndScalaOnEveryExecutor(@TempDir Path dir) throws Exception {
        try (Submission doctor = submit(dir.resolve("doctor.log"), "doctor")) {
            assertEquals(0, doctor.waitFor(300), doctor.tail());
            List<String> rows = executorRows(doctor.output());
            assertFalse(rows.isEmpty(), doctor.tail());
            for (String row : rows) {
                // columns: executor host pid backend blas nd4j-threads omp-threads OMP_NUM_THREADS java spark scala status
                List<String> cells = List.of(row.split("\\s+"));
                List<String> last = cells.subList(cells.size() - 3, cells.size());
                assertEquals(List.of(BuildInfo.sparkVersion(), BuildInfo.scalaVersion(), "ok"), last, row);
                assertNotEquals(Long.toString(doctor.driver.pid()), cells.get(2), "an executor is not the driver: " + row);
            }
            assertTrue(doctor.output().contains("OK: the driver and every executor"), doctor.tail());
        }
    }

    private static final Pattern DOCTOR_EXECUTORS = Pattern.compile("(?m)^executors \\(.*\\): (\\d+) answered");

    /**
     * The rows of doctor's executor table: the lines after "executors (...): N answered" that start with an
     * executor ID (a log line that comes between them is passed over); as many as answered.
     */
    private static List<String> executorRows(String report) {
        Matcher answered = DOCTOR_EXECUTORS.matcher(report);
        if (!answered.find()) fail("no executor table in doctor's report:\n" + report);
        List<String> rows = report.substring(answered.end()).lines().map(String::strip)
                .filter(l -> l.matches("\\d+\\s.*")).limit(Integer.parseInt(answered.group(1))).toList();
        assertEquals(Integer.parseInt(answered.group(1)), rows.size(), report);
        return rows;
    }

    /**
     * training.roundsPerJob on the cluster: each epoch's averaging rounds run as one barrier stage whose tasks, in
     * the executors' JVMs, exchange parameters with the driver over its own socket between rounds. The training
     * is local mode's (one Spark job per round) to the last digit, with fewer Spark tasks.
     */
    @Test
    @Order(3)
    void roundsInOneJobOnTheClusterTrainAsOneJobPerRoundDoesLocally(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        try (Submission train = submit(dir.resolve("driver.log"), "train",
                with(SMALL, "--set", "training.roundsPerJob=100", "--data", localData.toString(),
                        "--output", run.toString()))) {
            assertEquals(0, train.waitFor(600), train.tail());
            assertSameTraining(localRun, run);
            long tasks = Repo.json(run.resolve("summary.json")).at("/training/sparkTasks/tasks").asLong();
            long localTasks = Repo.json(localRun.resolve("summary.json")).at("/training/sparkTasks/tasks").asLong();
            System.out.printf("rounds in one job on the cluster: %d Spark tasks, one job per round locally: %d%n",
                    tasks, localTasks);
            assertTrue(tasks < localTasks, tasks + " tasks against " + localTasks);
        }
    }

    @Test
    @Order(3)
    void aCorruptMinibatchFailsOnTheClusterWithExitThreeNamingTheFile(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        copyTree(localData, data);
        Path victim = data.resolve("train/batch-000003.bin");
        try (RandomAccessFile f = new RandomAccessFile(victim.toFile(), "rw")) {
            f.setLength(f.length() / 3);
        }
        Path run = dir.resolve("run");
        try (Submission train = submit(dir.resolve("driver.log"), "train",
                with(SMALL, "--set", "training.epochs=1", "--data", data.toString(), "--output", run.toString()))) {
            assertEquals(3, train.waitFor(600), train.tail());
            assertTrue(train.output().contains("batch-000003.bin"), train.tail());
            assertFalse(Files.exists(run.resolve("model")), "no model may be written as if complete");
            assertFalse(Files.exists(run.resolve("summary.json")));
        }
    }

    /**
     * SIGKILL to one executor while it runs a task of the second epoch, then the second worker stopped for good
     * after the second epoch: the task fails and is run again, the master replaces the executor, the run finishes on
     * the remaining worker, and every epoch's loss is the one local mode trained without any kill.
     */
    @Test
    @Order(4)
    void trainingSurvivesAnExecutorKilledMidTaskAndThenAWorkerStoppedForGood(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        try (Submission train = submit(dir.resolve("driver.log"), "train",
                with(SMALL, "--data", localData.toString(), "--output", run.toString()))) {
            awaitEpoch(train, run, 1);
            assertEquals(2, cluster.executors().size(), "one executor per worker before the kill");
            InFlight victim = killAnExecutorRunningATask(train);
            assertNotEquals(train.driver.pid(), victim.executor.pid());
            assertTrue(victim.executor.onExit().get(30, TimeUnit.SECONDS) != null);
            System.out.printf("killed executor pid %d while it ran tasks %s%n", victim.executor.pid(), victim.tasks);

            awaitEpoch(train, run, 2);
            long worker2 = cluster.pid("worker-2");
            ProcessHandle worker = ProcessHandle.of(worker2).orElseThrow();
            worker.destroy(); // SIGTERM: the worker shuts down with its executors
            assertTrue(worker.onExit().get(60, TimeUnit.SECONDS) != null);
            System.out.printf("stopped worker-2 pid %d%n", worker2);

            assertEquals(0, train.waitFor(600), train.tail());
            String appId = appId(train);
            List<Path> executorDirs = cluster.executorDirs(appId);
            assertTrue(executorDirs.size() >= 3, "the killed executor was replaced: " + executorDirs);
            JsonNode summary = Repo.json(run.resolve("summary.json"));
            assertEquals(3, summary.at("/training/epochs").asInt());
            JsonNode tasks = summary.at("/training/sparkTasks");
            System.out.printf("after the kills: Spark tasks %s, executors %s%n", tasks, executorDirs);
            assertTrue(tasks.get("failedTasks").asLong() > 0, "the task in flight failed: " + tasks);
            assertTrue(tasks.get("retriedTasks").asLong() > 0, "and was run again: " + tasks);
            assertSameTraining(localRun, run);
            assertFalse(ProcessHandle.of(worker2).isPresent(), "the stopped worker stays stopped");
        }
    }

    /** An executor and the tasks it had started and not finished when it was killed. */
    private record InFlight(ProcessHandle executor, Set<String> tasks) {
    }

    private static final Pattern TASK_EVENT = Pattern.compile("(Running|Finished) task \\S+ in stage \\S+ \\(TID (\\d+)\\)");

    /**
     * Freezes each executor in turn (SIGSTOP) and reads its log: one that has started a task it has not reported
     * finished is killed while frozen (SIGKILL), so the task cannot end first (an executor logs "Finished task"
     * before it sends the result); the others are thawed (SIGCONT) and tried again.
     */
    private static InFlight killAnExecutorRunningATask(Submission train) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (System.nanoTime() < deadline) {
            if (!train.driver.isAlive()) fail("the driver ended before an executor was killed:\n" + train.tail());
            for (ProcessHandle executor : cluster.executors()) {
                signal("STOP", executor);
                boolean killed = false;
                try {
                    Optional<Path> stderr = cluster.executorLog(executor.pid());
                    Set<String> running = stderr.isPresent() ? tasksInFlight(Files.readString(stderr.get())) : Set.of();
                    if (!running.isEmpty()) {
                        executor.destroyForcibly(); // SIGKILL, frozen mid-task
                        killed = true;
                        return new InFlight(executor, running);
                    }
                } finally {
                    if (!killed) signal("CONT", executor);
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no executor was seen running a task within 300 s:\n" + train.tail());
    }

    /** The task IDs a log shows started and not finished. */
    static Set<String> tasksInFlight(String log) {
        Set<String> running = new HashSet<>();
        Matcher m = TASK_EVENT.matcher(log);
        while (m.find()) {
            if (m.group(1).equals("Running")) running.add(m.group(2));
            else running.remove(m.group(2));
        }
        return running;
    }

    static void signal(String signal, ProcessHandle process) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS), "kill -" + signal);
    }

    /**
     * Cluster and local mode train the same network on the same data with 2 workers, and a task run again computes
     * what its first attempt would have: every epoch's training loss, examples and validation metrics, and the test
     * metrics, are the same to the last digit.
     */
    static void assertSameTraining(Path expectedRun, Path actualRun) throws IOException {
        List<String> expected = Files.readAllLines(expectedRun.resolve("metrics.jsonl"));
        List<String> actual = Files.readAllLines(actualRun.resolve("metrics.jsonl"));
        assertEquals(expected.size(), actual.size(), "epochs");
        for (int i = 0; i < expected.size(); i++) {
            JsonNode e = io.sparklstm.model.Json.mapper().readTree(expected.get(i));
            JsonNode a = io.sparklstm.model.Json.mapper().readTree(actual.get(i));
            for (String field : List.of("trainLoss", "trainExamples", "validation")) {
                assertEquals(e.get(field), a.get(field), "epoch " + (i + 1) + " " + field);
            }
        }
        assertEquals(Repo.json(expectedRun.resolve("summary.json")).get("test"),
                Repo.json(actualRun.resolve("summary.json")).get("test"), "test metrics");
    }

    /**
     * Three drivers: one with no authentication and one with a wrong secret (both started with the cluster), one
     * with the cluster's. The master refuses the first two (Spark's client gives up after three 20 s registration
     * attempts): they exit with code 1 and the message the README documents, and never register; the third is
     * served.
     */
    @Test
    @Order(5)
    void onlyADriverWithTheClusterSecretIsServed(@TempDir Path dir) throws Exception {
        Path refusedDir = shared.resolve("refused");
        try (Submission right = submit(dir.resolve("right.log"), "prepare",
                prepareArgs("--conf", "spark.app.name=served-right-secret", "--output", dir.resolve("c").toString()))) {
            assertEquals(0, right.waitFor(600), right.tail());
            assertTrue(Files.exists(dir.resolve("c/manifest.json")));

            for (Submission refused : List.of(noAuth, wrongSecret)) {
                // README: refused after Spark's three 20-second registration attempts, exit code 1 and this message
                assertEquals(1, refused.waitFor(300), refused.tail());
                assertTrue(refused.output().contains("the cluster refused the application or could not be reached"),
                        refused.tail());
                assertTrue(refused.output().contains("All masters are unresponsive"), refused.tail());
                assertFalse(APP_ID.matcher(refused.output()).find(), "never got an application ID");
            }
            assertFalse(Files.exists(refusedDir.resolve("a/manifest.json")));
            assertFalse(Files.exists(refusedDir.resolve("b/manifest.json")));
            String master = cluster.log("master");
            assertTrue(master.contains("Registering app served-right-secret"), "the right one registered");
            assertFalse(master.contains("Registering app refused-"), "no refused driver registered");
            assertTrue(master.contains("Expected SaslMessage"), "the master saw the unauthenticated client");
        }
        String secret = Files.readString(cluster.secretFile).strip();
        assertFalse(Files.readString(dir.resolve("right.log")).contains(secret), "the secret is never logged");
        assertFalse(cluster.log("master").contains(secret), "the secret is never logged");
    }

    /**
     * SIGKILL to the driver after the first checkpoint: the cluster ends the application's executors, and
     * {@code train --resume} on the cluster continues from the checkpoint to the configured epochs.
     */
    @Test
    @Order(6)
    void aKilledDriverResumesOnTheClusterFromItsCheckpoint(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        List<ProcessHandle> orphans;
        try (Submission train = submit(dir.resolve("driver.log"), "train",
                with(SMALL, "--data", localData.toString(), "--output", run.toString()))) {
            awaitEpoch(train, run, 1);
            while (!Files.exists(run.resolve("checkpoints/epoch-0001/bundle.json"))) {
                if (!train.driver.isAlive()) fail("the driver ended early:\n" + train.tail());
                Thread.sleep(200);
            }
            orphans = cluster.executors();
            train.driver.destroyForcibly(); // SIGKILL: no shutdown hooks, like a lost driver
            assertTrue(train.driver.waitFor(30, TimeUnit.SECONDS));
        }
        for (ProcessHandle executor : orphans) {
            assertTrue(executor.onExit().get(120, TimeUnit.SECONDS) != null,
                    "executor " + executor.pid() + " of the dead driver ends");
        }
        assertFalse(Files.exists(run.resolve("summary.json")), "the killed run did not finish");

        // The run's saved configuration carries the environment's Spark properties: no --env with --resume.
        try (Submission resume = Submission.start(cluster, cluster.secretFile, dir.resolve("resume.log"), "train",
                "--resume", run.toString())) {
            assertEquals(0, resume.waitFor(600), resume.tail());
        }
        JsonNode summary = Repo.json(run.resolve("summary.json"));
        assertTrue(summary.at("/training/resumedAfterEpoch").asInt() >= 1, summary.toString());
        assertEquals(3, summary.at("/training/epochs").asInt());
        double accuracy = testAccuracy(run);
        System.out.printf("resumed on the cluster: test accuracy %.4f (local %.4f)%n", accuracy, localAccuracy);
        assertEquals(localAccuracy, accuracy, ACCURACY_TOLERANCE);
    }

    static void awaitEpoch(Submission train, Path run, int epoch) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(400);
        Path metrics = run.resolve("metrics.jsonl");
        while (!Files.exists(metrics) || Files.readAllLines(metrics).size() < epoch) {
            if (!train.driver.isAlive()) fail("the driver ended before epoch " + epoch + ":\n" + train.tail());
            if (System.nanoTime() > deadline) fail("no epoch " + epoch + " within 400 s:\n" + train.tail());
            Thread.sleep(200);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
