package io.sparklstm.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code spark-lstm} command submitted through the launcher to spark-submit (the cluster's SPARK_HOME): the
 * driver is a separate JVM in client mode, its output in a log file. The launcher execs spark-submit, which execs
 * the driver, so the process started here is the driver JVM itself.
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
        List<String> line = new ArrayList<>(List.of(Repo.root().resolve("submit-scripts/spark-lstm").toString(),
                command, "--master", cluster.masterUrl, "--conf", "spark.ui.enabled=false"));
        line.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(log.toFile())
                .directory(Repo.root().toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", cluster.sparkHome().toString());
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("SPARK_LSTM_DRIVER_MEMORY", "1g");
        env.remove("SPARK_LSTM_SECRET");
        env.remove("_SPARK_AUTH_SECRET");
        env.remove("SPARK_LSTM_ENV");
        if (secretFile == null) {
            env.remove("SPARK_LSTM_SECRET_FILE");
        } else {
            env.put("SPARK_LSTM_SECRET_FILE", secretFile.toString());
        }
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
