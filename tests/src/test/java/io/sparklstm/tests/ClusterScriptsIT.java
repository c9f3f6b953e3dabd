package io.sparklstm.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cluster scripts' own behaviour, without starting Spark: help, option errors, GPU discovery. */
class ClusterScriptsIT {

    private record Run(int exitCode, String output) {
    }

    private static Run run(Map<String, String> env, String script, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Repo.root().resolve("submit-scripts").resolve(script).toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("SPARK_HOME");
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), script);
        return new Run(p.exitValue(), output);
    }

    @Test
    void standaloneClusterHasHelpAndRejectsBadOptionsBeforeStartingAnything(@TempDir Path dir) throws Exception {
        Run help = run(Map.of(), "standalone-cluster", "--help");
        assertEquals(0, help.exitCode, help.output);
        assertTrue(help.output.contains("start [--workers N]") && help.output.contains("stop"), help.output);

        Run bad = run(Map.of(), "standalone-cluster", "start", "--workers", "two", "--dir", dir.toString());
        assertEquals(2, bad.exitCode, bad.output);
        assertTrue(bad.output.contains("--workers: expected a positive number, got 'two'"), bad.output);
        assertTrue(Files.notExists(dir.resolve("pids")), "nothing started");

        Run status = run(Map.of(), "standalone-cluster", "status", "--dir", dir.toString());
        assertNotEquals(0, status.exitCode, status.output);
        assertTrue(status.output.contains("no cluster recorded"), status.output);
    }

    @Test
    void gpuDiscoveryPrintsSparksResourceJsonFromNvidiaSmi(@TempDir Path dir) throws Exception {
        Path smi = dir.resolve("nvidia-smi");
        Files.writeString(smi, "#!/bin/sh\n[ \"$1 $2\" = \"--query-gpu=index --format=csv,noheader\" ] || exit 9\n"
                + "printf '0\\n1\\n'\n");
        Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwx------"));
        Run gpus = run(Map.of("NVIDIA_SMI", smi.toString()), "gpu-discovery.sh");
        assertEquals(0, gpus.exitCode, gpus.output);
        assertEquals("{\"name\":\"gpu\",\"addresses\":[\"0\",\"1\"]}", gpus.output.strip());

        Run none = run(Map.of("NVIDIA_SMI", dir.resolve("missing").toString()), "gpu-discovery.sh");
        assertNotEquals(0, none.exitCode, "no GPUs found is a failure, not an empty list");
    }

    /** A stand-in for java or spark-submit that prints its arguments, one per line. */
    private static Path echoArgs(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    @Test
    void theLauncherHandsMasterPropertiesAndEnvironmentToSparkSubmitAndToTheJob(@TempDir Path dir) throws Exception {
        echoArgs(dir.resolve("spark/bin/spark-submit"));
        Run submit = run(Map.of("SPARK_HOME", dir.resolve("spark").toString()), "spark-lstm", "pipeline",
                "--master", "yarn", "--deploy-mode", "cluster", "--env", Repo.conf("env/yarn.conf").toString(),
                "--conf", Repo.conf("datasets/etth1.conf").toString(), "--conf", "spark.executor.instances=8",
                "--output", "hdfs:///runs/x");
        assertEquals(0, submit.exitCode, submit.output);
        List<String> args = submit.output.lines().toList();
        int jar = args.indexOf(Repo.root().resolve("jobs/target/spark-lstm.jar").toString());
        assertTrue(jar > 0, submit.output);
        List<String> sparkSubmit = args.subList(0, jar);
        List<String> job = args.subList(jar + 1, args.size());
        assertEquals("yarn", sparkSubmit.get(sparkSubmit.indexOf("--master") + 1));
        assertEquals("cluster", sparkSubmit.get(sparkSubmit.indexOf("--deploy-mode") + 1));
        assertEquals("spark.executor.instances=8", sparkSubmit.get(sparkSubmit.indexOf("--conf") + 1));
        assertEquals(Repo.conf("env/yarn.conf") + "," + Repo.conf("datasets/etth1.conf"),
                sparkSubmit.get(sparkSubmit.indexOf("--files") + 1), "config files travel with the driver");
        assertEquals(List.of("pipeline", "--set", "spark.conf.\"spark.executor.instances\"=8", "--conf", "yarn.conf",
                "--conf", "etth1.conf", "--output", "hdfs:///runs/x"), job, "the environment first, by name");

        echoArgs(dir.resolve("jdk/bin/java"));
        Run embedded = run(Map.of("JAVA_HOME", dir.resolve("jdk").toString()), "spark-lstm", "train",
                "--master", "spark://127.0.0.1:7077", "--conf", "spark.task.cpus=2", "--data", "d", "--output", "o");
        assertEquals(0, embedded.exitCode, embedded.output);
        List<String> java = embedded.output.lines().toList();
        assertTrue(java.contains("-Dspark.jars=" + Repo.root().resolve("jobs/target/spark-lstm.jar")),
                "executors on a cluster fetch the job jar");
        assertEquals(List.of("train", "--master", "spark://127.0.0.1:7077", "--set", "spark.conf.\"spark.task.cpus\"=2",
                "--data", "d", "--output", "o"), java.subList(java.indexOf("io.sparklstm.jobs.cli.Main") + 1, java.size()));
    }

    /**
     * spark-submit's --driver-java-options, which the launcher gives for dl4j-spark's time source, replaces a
     * {@code --conf spark.driver.extraJavaOptions}: the user's options must be in it (in YARN cluster mode they are
     * the JVM options of the AM container the driver runs in).
     */
    @Test
    void theLauncherKeepsTheUsersDriverJavaOptionsBesideTheTimeSource(@TempDir Path dir) throws Exception {
        echoArgs(dir.resolve("spark/bin/spark-submit"));
        Run submit = run(Map.of("SPARK_HOME", dir.resolve("spark").toString()), "spark-lstm", "train",
                "--master", "yarn", "--deploy-mode", "cluster",
                "--conf", "spark.driver.extraJavaOptions=-Dorg.bytedeco.javacpp.maxbytes=2G -Dx=1",
                "--data", "hdfs:///d", "--output", "hdfs:///o");
        assertEquals(0, submit.exitCode, submit.output);
        List<String> args = submit.output.lines().toList();
        String options = args.get(args.indexOf("--driver-java-options") + 1);
        assertEquals("-Dorg.bytedeco.javacpp.maxbytes=2G -Dx=1 "
                + "-Dorg.deeplearning4j.spark.time.TimeSource=org.deeplearning4j.spark.time.SystemClockTimeSource", options);
    }

    /**
     * A stand-in for java or spark-submit that prints its arguments, one per line, then what the launcher handed
     * it outside them: the environment's secret properties and the properties file's lines and mode.
     */
    private static Path echoArgsAndSecrets(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, """
                #!/bin/bash
                for a in "$@"; do printf '%s\\n' "$a"; done
                printf 'ENV:%s\\n' "${SPARK_LSTM_SECRET_PROPERTIES:-}"
                while [[ $# -gt 0 ]]; do
                  if [[ "$1" == --properties-file ]]; then
                    printf 'MODE:%s\\n' "$(stat -c %a "$2")"
                    printf 'PATH:%s\\n' "$2"
                    sed 's/^/FILE:/' "$2"
                  fi
                  shift
                done
                """);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    private static final String SECRET = "s3a-secret-value-42";
    private static final String TOKEN = "session-token-43";

    @Test
    void theLauncherPutsSecretPropertiesInNoArgumentListOfSparkSubmit(@TempDir Path dir) throws Exception {
        echoArgsAndSecrets(dir.resolve("spark/bin/spark-submit"));
        Files.createDirectories(dir.resolve("spark/conf"));
        Files.writeString(dir.resolve("spark/conf/spark-defaults.conf"), "spark.eventLog.enabled true\n");
        Run submit = run(Map.of("SPARK_HOME", dir.resolve("spark").toString()), "spark-lstm", "train",
                "--master", "yarn", "--conf", "spark.hadoop.fs.s3a.secret.key=" + SECRET,
                "--conf", "spark.executor.instances=8", "--conf", "spark.hadoop.fs.s3a.session.token=" + TOKEN,
                "--data", "d", "--output", "o");
        assertEquals(0, submit.exitCode, submit.output);
        List<String> lines = submit.output.lines().toList();
        List<String> args = lines.stream().filter(l -> !l.matches("(ENV|MODE|PATH|FILE):.*")).toList();
        assertFalse(String.join(" ", args).contains(SECRET) || String.join(" ", args).contains(TOKEN),
                "no secret in spark-submit's arguments: " + args);
        assertTrue(args.contains("spark.executor.instances=8"), "other properties stay --conf: " + args);
        assertTrue(lines.contains("MODE:600"), submit.output);
        assertTrue(lines.contains("FILE:spark.hadoop.fs.s3a.secret.key=" + SECRET), submit.output);
        assertTrue(lines.contains("FILE:spark.hadoop.fs.s3a.session.token=" + TOKEN), submit.output);
        assertTrue(lines.contains("FILE:spark.eventLog.enabled true"), "spark-defaults.conf still applies");

        Path properties = Path.of(lines.stream().filter(l -> l.startsWith("PATH:")).findFirst().orElseThrow()
                .substring("PATH:".length()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (Files.exists(properties) && System.nanoTime() < deadline) Thread.sleep(100);
        assertFalse(Files.exists(properties), "the properties file goes when spark-submit has ended");
    }

    @Test
    void theLauncherHandsSecretPropertiesToAnEmbeddedJobInItsEnvironmentOnly(@TempDir Path dir) throws Exception {
        echoArgsAndSecrets(dir.resolve("jdk/bin/java"));
        Run embedded = run(Map.of("JAVA_HOME", dir.resolve("jdk").toString()), "spark-lstm", "train",
                "--conf", "spark.authenticate.secret=" + SECRET, "--conf", "spark.task.cpus=2",
                "--data", "d", "--output", "o");
        assertEquals(0, embedded.exitCode, embedded.output);
        List<String> lines = embedded.output.lines().toList();
        List<String> args = lines.stream().filter(l -> !l.startsWith("ENV:")).toList();
        assertFalse(String.join(" ", args).contains(SECRET), "no secret in java's arguments: " + args);
        assertTrue(args.contains("spark.conf.\"spark.task.cpus\"=2"), args.toString());
        assertTrue(lines.contains("ENV:spark.authenticate.secret=" + SECRET), embedded.output);
    }

    /**
     * standalone-cluster with stand-ins: a java that logs what Spark's daemons log at start-up (and records its
     * arguments and whether it got the secret), and an env on the PATH that records its arguments. The secret must
     * reach the daemons in their environment and appear in no process's arguments.
     */
    @Test
    void standaloneClusterGivesItsDaemonsTheSecretInNoArgumentList(@TempDir Path dir) throws Exception {
        Path record = Files.createDirectories(dir.resolve("record"));
        Path java = standInJava(dir, record);
        Path env = Files.createDirectories(dir.resolve("bin")).resolve("env");
        Files.writeString(env, "#!/bin/bash\nprintf '%s\\n' \"$@\" > \"" + record + "/env-$$.args\"\nexec /usr/bin/env \"$@\"\n");
        Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rwx------"));
        Path sparkCore = Files.createFile(dir.resolve("spark-core_2.13-4.1.3.jar"));
        standInMaven(dir, record, sparkCore.toString());
        Path cluster = Files.createDirectories(dir.resolve("cluster"));
        String secret = "cluster-secret-" + System.nanoTime();
        Path secretFile = dir.resolve("secret");
        Files.writeString(secretFile, secret + "\n");
        Files.setPosixFilePermissions(secretFile, PosixFilePermissions.fromString("rw-------"));
        Map<String, String> environment = Map.of("JAVA_HOME", java.getParent().getParent().toString(),
                "PATH", env.getParent() + ":" + System.getenv("PATH"), "SPARK_LSTM_SECRET_FILE", secretFile.toString());
        try {
            Run start = run(environment, "standalone-cluster", "start", "--workers", "1", "--dir", cluster.toString());
            assertEquals(0, start.exitCode, start.output);
            assertFalse(start.output.contains(secret), "never printed");
            List<Path> recorded;
            try (var files = Files.list(record)) {
                recorded = files.toList();
            }
            assertEquals(2, recorded.stream().filter(f -> f.toString().endsWith(".secret")).count(),
                    "master and worker got the secret: " + recorded);
            for (Path f : recorded) {
                if (f.toString().endsWith(".secret")) {
                    assertEquals(secret, Files.readString(f));
                } else {
                    assertFalse(Files.readString(f).contains(secret), "the secret in the arguments of " + f);
                }
            }
        } finally {
            run(Map.of(), "standalone-cluster", "stop", "--dir", cluster.toString());
        }
    }

    /**
     * Maven ending well without the classpath it was asked for (a wrapper script, an offline stand-in):
     * {@code start} says so and starts no daemon, instead of starting them on an empty Spark home; a classpath
     * without Spark's core jar likewise.
     */
    @Test
    void standaloneClusterStartsNothingWhenMavenGivesNoSparkJars(@TempDir Path dir) throws Exception {
        Path record = Files.createDirectories(dir.resolve("record"));
        Path java = standInJava(dir, record);
        Path cluster = Files.createDirectories(dir.resolve("cluster"));
        Map<String, String> environment = Map.of("JAVA_HOME", java.getParent().getParent().toString(),
                "PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));

        standInMaven(dir, record, null);
        Run nothing = run(environment, "standalone-cluster", "start", "--no-auth", "--dir", cluster.toString());
        assertEquals(2, nothing.exitCode, nothing.output);
        assertTrue(nothing.output.contains("Maven wrote no classpath to " + cluster.toAbsolutePath()), nothing.output);

        standInMaven(dir, record, Files.createFile(dir.resolve("scala-library-2.13.16.jar")).toString());
        Run noCore = run(environment, "standalone-cluster", "start", "--no-auth", "--dir", cluster.toString());
        assertEquals(2, noCore.exitCode, noCore.output);
        assertTrue(noCore.output.contains("no spark-core jar among Spark's jars listed in " + cluster.toAbsolutePath()),
                noCore.output);

        try (var files = Files.list(record)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith("java-")).toList(),
                    "no daemon started");
        }
    }

    /**
     * A stand-in JDK at dir/jdk: its {@code java} records its arguments (and the secret it was handed in its
     * environment) in RECORD, prints the lines {@code start} waits for and stays up.
     */
    private static Path standInJava(Path dir, Path record) throws IOException {
        Path java = Files.createDirectories(dir.resolve("jdk/bin")).resolve("java");
        Files.writeString(java, """
                #!/bin/bash
                printf '%s\\n' "$@" > "RECORD/java-$$.args"
                [[ -n "${_SPARK_AUTH_SECRET:-}" ]] && printf '%s' "$_SPARK_AUTH_SECRET" > "RECORD/java-$$.secret"
                case "$*" in
                  *deploy.master.Master*) echo "Starting Spark master at spark://127.0.0.1:7077"
                                          echo "I have been elected leader! New state: ALIVE" ;;
                  *) echo "Successfully registered with master spark://127.0.0.1:7077" ;;
                esac
                exec sleep 120
                """.replace("RECORD", record.toString()));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        return java;
    }

    /**
     * A stand-in {@code mvn} at dir/bin (put first on PATH): records its arguments in RECORD and writes
     * {@code classpath} where the dependency plugin was asked to ({@code -Dmdep.outputFile}), or nothing when null.
     * No Maven run, no Spark jar needed by the stand-in java.
     */
    private static void standInMaven(Path dir, Path record, String classpath) throws IOException {
        Path mvn = Files.createDirectories(dir.resolve("bin")).resolve("mvn");
        Files.writeString(mvn, """
                #!/bin/bash
                printf '%s\\n' "$@" > "RECORD/mvn-$$.args"
                for arg in "$@"; do
                  case "$arg" in -Dmdep.outputFile=*) out="${arg#-Dmdep.outputFile=}" ;; esac
                done
                WRITE
                """.replace("RECORD", record.toString())
                .replace("WRITE", classpath == null ? "true" : "printf '%s' '" + classpath + "' > \"$out\""));
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void standaloneClusterRefusesASecretFileOthersCanRead(@TempDir Path dir) throws Exception {
        Path secretFile = dir.resolve("secret");
        Files.writeString(secretFile, "shared-secret\n");
        Files.setPosixFilePermissions(secretFile, PosixFilePermissions.fromString("rw-r--r--"));
        Path cluster = dir.resolve("cluster");
        Files.createDirectories(cluster);
        Files.writeString(cluster.resolve("spark-distribution.classpath"), dir.resolve("none.jar").toString());
        Run start = run(Map.of("SPARK_LSTM_SECRET_FILE", secretFile.toString()), "standalone-cluster", "start",
                "--dir", cluster.toString());
        assertEquals(2, start.exitCode, start.output);
        assertTrue(start.output.contains("chmod 600 " + secretFile), start.output);
        assertTrue(Files.notExists(cluster.resolve("pids")) || Files.list(cluster.resolve("pids")).findAny().isEmpty(),
                "nothing started");
    }

    @Test
    void theLauncherRefusesClusterDeployModeWithoutSparkSubmit() throws Exception {
        Run r = run(Map.of(), "spark-lstm", "train", "--deploy-mode", "cluster", "--data", "d", "--output", "o");
        assertEquals(2, r.exitCode, r.output);
        assertTrue(r.output.contains("--deploy-mode cluster needs SPARK_HOME"), r.output);
    }
}
