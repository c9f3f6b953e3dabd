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

    @Test
    void theLauncherRefusesClusterDeployModeWithoutSparkSubmit() throws Exception {
        Run r = run(Map.of(), "spark-lstm", "train", "--deploy-mode", "cluster", "--data", "d", "--output", "o");
        assertEquals(2, r.exitCode, r.output);
        assertTrue(r.output.contains("--deploy-mode cluster needs SPARK_HOME"), r.output);
    }
}
