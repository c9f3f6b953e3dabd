package io.sparklstm.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real standalone cluster on loopback, started and stopped through {@code submit-scripts/standalone-cluster}
 * (so the script is what is tested), with authentication on and a secret file made for it. {@link #close()}
 * stops it by the PIDs the script recorded, and ends any recorded process the script left alive.
 */
final class StandaloneCluster implements AutoCloseable {

    private static final Pattern EXECUTOR_PID = Pattern.compile("Started daemon with process name: (\\d+)@");

    final Path dir;
    final Path secretFile;
    final String masterUrl;
    private final List<Long> daemonPids = new ArrayList<>();

    private StandaloneCluster(Path dir, Path secretFile, String masterUrl) throws IOException {
        this.dir = dir;
        this.secretFile = secretFile;
        this.masterUrl = masterUrl;
        daemonPids.add(pid("master"));
        for (int i = 1; Files.exists(pidFile("worker-" + i)); i++) {
            daemonPids.add(pid("worker-" + i));
        }
    }

    /** Starts a master and {@code workers} workers of one core and 2g each; fails with the script's output. */
    static StandaloneCluster start(Path dir, int workers) throws IOException, InterruptedException {
        Path secret = writeSecret(dir.resolve("secret"), "cluster-secret-" + System.nanoTime());
        ScriptRun run = script(dir, Map.of("SPARK_LSTM_SECRET_FILE", secret.toString()), "start",
                "--workers", Integer.toString(workers), "--cores", "1", "--memory", "2g", "--dir", dir.toString());
        if (run.exitCode != 0) {
            throw new IllegalStateException("standalone-cluster start failed (" + run.exitCode + "):\n" + run.output);
        }
        String[] lines = run.stdout.strip().split("\n");
        String url = lines[lines.length - 1].strip();
        if (!url.matches("spark://127\\.0\\.0\\.1:\\d+")) {
            throw new IllegalStateException("no master URL from standalone-cluster start:\n" + run.output);
        }
        return new StandaloneCluster(dir, secret, url);
    }

    static Path writeSecret(Path file, String secret) throws IOException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
        return file;
    }

    /** The master's and the workers' PIDs, as the script recorded them at start. */
    List<Long> daemonPids() {
        return List.copyOf(daemonPids);
    }

    Path sparkHome() {
        return dir.resolve("spark-home");
    }

    Path pidFile(String daemon) {
        return dir.resolve("pids").resolve(daemon + ".pid");
    }

    long pid(String daemon) throws IOException {
        return Long.parseLong(Files.readString(pidFile(daemon)).strip());
    }

    Path workDir(int worker) {
        return dir.resolve("work").resolve("worker-" + worker);
    }

    String log(String daemon) throws IOException {
        return Files.readString(dir.resolve("logs").resolve(daemon + ".log"));
    }

    /** Executor JVMs running now: children of the recorded worker PIDs whose command is Spark's executor backend. */
    List<ProcessHandle> executors() {
        List<ProcessHandle> out = new ArrayList<>();
        for (long pid : daemonPids) {
            ProcessHandle.of(pid).ifPresent(worker -> worker.children()
                    .filter(c -> c.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
                    .forEach(out::add));
        }
        return out;
    }

    /** The executor directories (work/worker-N/APP/EXECUTOR) that an application got, on every worker. */
    List<Path> executorDirs(String appId) throws IOException {
        List<Path> out = new ArrayList<>();
        for (int i = 1; Files.isDirectory(workDir(i)); i++) {
            Path app = workDir(i).resolve(appId);
            if (Files.isDirectory(app)) {
                try (Stream<Path> dirs = Files.list(app)) {
                    dirs.filter(Files::isDirectory).forEach(out::add);
                }
            }
        }
        return out;
    }

    /** The stderr of the executor JVM {@code pid}, found by the PID each executor logs as its own. */
    Optional<Path> executorLog(long pid) throws IOException {
        for (int i = 1; Files.isDirectory(workDir(i)); i++) {
            Path work = workDir(i);
            List<Path> executorDirs;
            try (Stream<Path> dirs = Files.walk(work, 2)) {
                executorDirs = dirs.filter(d -> d.getNameCount() == work.getNameCount() + 2).toList();
            }
            for (Path executor : executorDirs) {
                if (executorPid(executor).filter(p -> p == pid).isPresent()) return Optional.of(executor.resolve("stderr"));
            }
        }
        return Optional.empty();
    }

    /** The PID an executor logged as its own in its stderr. */
    static Optional<Long> executorPid(Path executorDir) throws IOException {
        Path stderr = executorDir.resolve("stderr");
        if (!Files.exists(stderr)) return Optional.empty();
        Matcher m = EXECUTOR_PID.matcher(Files.readString(stderr));
        return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            ScriptRun run = script(dir, Map.of(), "stop", "--dir", dir.toString());
            if (run.exitCode != 0) {
                System.err.println("standalone-cluster stop: " + run.output);
            }
        } finally {
            // Whatever the script could not end, end here, by the PIDs it recorded and their children.
            for (long pid : daemonPids) {
                ProcessHandle.of(pid).ifPresent(p -> {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                });
            }
        }
    }

    record ScriptRun(int exitCode, String stdout, String output) {
    }

    static ScriptRun script(Path dir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Repo.root().resolve("submit-scripts/standalone-cluster").toString()));
        command.addAll(List.of(args));
        Files.createDirectories(dir);
        Path err = Files.createTempFile(dir, "standalone-cluster-", ".err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(err.toFile());
        pb.environment().remove("SPARK_LSTM_SECRET");
        pb.environment().remove("_SPARK_AUTH_SECRET");
        pb.environment().remove("SPARK_LSTM_SECRET_FILE");
        pb.environment().putAll(env);
        Process p = pb.start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("standalone-cluster " + args[0] + " did not finish in 300 s");
        }
        return new ScriptRun(p.exitValue(), stdout, stdout + Files.readString(err));
    }
}
