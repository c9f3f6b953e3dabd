package io.sparklstm.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code spark-lstm} command submitted through the launcher to spark-submit (the cluster's SPARK_HOME): the
 * driver is a separate JVM in client mode, its output in a log file. The launcher execs spark-submit, which execs
 * the driver, so the process started here is the driver JVM itself (in YARN cluster mode: spark-submit's client,
 * which waits for the application and exits 0 only when YARN reports it succeeded).
 */
final class Submission implements AutoCloseable {

    final Process driver;
    final Path log;

    private Submission(Process driver, Path log) {
        this.driver = driver;
        this.log = log;
    }

    /**
     * @param secretFile the secret file the driver is given, or null for none
     * @param args       the launcher's arguments after the command (launcher and job options)
     */
    static Submission start(StandaloneCluster cluster, Path secretFile, Path log, String command, String... args)
            throws IOException {
        List<String> line = new ArrayList<>(List.of(command, "--master", cluster.masterUrl,
                "--conf", "spark.ui.enabled=false"));
        line.addAll(List.of(args));
        Map<String, String> env = new HashMap<>();
        if (secretFile != null) env.put("SPARK_LSTM_SECRET_FILE", secretFile.toString());
        return launch(cluster.sparkHome(), env, log, line);
    }

    /**
     * The launcher with {@code args} (its command first) and this SPARK_HOME, from the repository root, with none of
     * the caller's secret or environment-config variables: only those in {@code env}.
     */
    static Submission launch(Path sparkHome, Map<String, String> env, Path log, List<String> args) throws IOException {
        List<String> line = new ArrayList<>(List.of(Repo.root().resolve("submit-scripts/spark-lstm").toString()));
        line.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(log.toFile())
                .directory(Repo.root().toFile());
        Map<String, String> environment = pb.environment();
        environment.put("SPARK_HOME", sparkHome.toString());
        environment.put("SPARK_LOCAL_IP", "127.0.0.1");
        environment.put("SPARK_LSTM_DRIVER_MEMORY", "1g");
        environment.remove("SPARK_LSTM_SECRET");
        environment.remove("_SPARK_AUTH_SECRET");
        environment.remove("SPARK_LSTM_ENV");
        environment.remove("SPARK_LSTM_SECRET_FILE");
        environment.putAll(env);
        return new Submission(pb.start(), log);
    }

    /** Waits for the driver to end; returns its exit code, or fails the test with its log after {@code seconds}. */
    int waitFor(int seconds) throws IOException, InterruptedException {
        if (!driver.waitFor(seconds, TimeUnit.SECONDS)) {
            close();
            throw new AssertionError("the driver did not finish within " + seconds + " s:\n" + tail());
        }
        return driver.exitValue();
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    /** The end of the driver's log, for failure messages. */
    String tail() throws IOException {
        String all = output();
        return all.substring(Math.max(0, all.length() - 6000));
    }

    @Override
    public void close() {
        driver.descendants().forEach(ProcessHandle::destroyForcibly);
        driver.destroyForcibly();
    }
}
