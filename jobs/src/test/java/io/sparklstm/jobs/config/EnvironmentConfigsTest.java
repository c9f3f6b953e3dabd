package io.sparklstm.jobs.config;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The environment configs in conf/env load like any --conf file, alone and under a dataset config. */
class EnvironmentConfigsTest {

    private static final List<String> ENVIRONMENTS = List.of("local", "standalone", "yarn", "k8s", "gpu");

    private static Path conf(String name) {
        return Path.of(System.getProperty("sparklstm.repo.root", ".."), "conf", name);
    }

    private static Map<String, String> sparkConf(List<File> files, List<String> overrides) {
        return JobConfig.from(ConfigLoader.loadAll(files, overrides)).spark().conf();
    }

    @Test
    void everyEnvironmentFileIsShippedAndLoadsUnderADatasetConfig() throws IOException {
        try (Stream<Path> files = Files.list(conf("env"))) {
            assertEquals(ENVIRONMENTS.stream().map(e -> e + ".conf").sorted().toList(),
                    files.map(f -> f.getFileName().toString()).sorted().toList());
        }
        for (String env : ENVIRONMENTS) {
            Map<String, String> spark = sparkConf(List.of(conf("env/" + env + ".conf").toFile(),
                    conf("datasets/synthetic-control.conf").toFile()), List.of());
            String threads = spark.get("spark.executorEnv.OMP_NUM_THREADS");
            assertEquals("1", threads, env + ": one ND4J thread per task CPU");
            if (!env.equals("gpu")) {
                assertEquals(spark.get("spark.task.cpus"), threads, env);
                assertEquals("io.sparklstm.jobs.spark.KryoRegistrator", spark.get("spark.kryo.registrator"), env);
                assertEquals("org.apache.spark.serializer.KryoSerializer", spark.get("spark.serializer"), env);
            }
        }
    }

    @Test
    void clusterEnvironmentsAuthenticateEncryptAndCapNd4jMemory() {
        for (String env : List.of("standalone", "yarn", "k8s", "gpu")) {
            Map<String, String> spark = sparkConf(List.of(conf("env/" + env + ".conf").toFile()), List.of());
            String executorOptions = spark.get("spark.executor.extraJavaOptions");
            assertTrue(executorOptions.contains("-Dorg.bytedeco.javacpp.maxbytes="), env);
            assertTrue(executorOptions.contains("-Dorg.bytedeco.javacpp.maxphysicalbytes="), env);
            assertTrue(executorOptions.contains("SystemClockTimeSource"), env);
            if (!env.equals("gpu")) {
                assertEquals("true", spark.get("spark.authenticate"), env);
                assertEquals("true", spark.get("spark.network.crypto.enabled"), env);
            }
        }
        Map<String, String> gpu = sparkConf(List.of(conf("env/yarn.conf").toFile(), conf("env/gpu.conf").toFile()),
                List.of());
        assertEquals("1", gpu.get("spark.executor.resource.gpu.amount"));
        assertEquals("submit-scripts/gpu-discovery.sh", gpu.get("spark.executor.resource.gpu.discoveryScript"));
        assertEquals("true", gpu.get("spark.authenticate"), "gpu.conf goes on top of a cluster environment");
    }

    @Test
    void theThreadCountFollowsTaskCpusWhenOverridden() {
        Map<String, String> spark = sparkConf(List.of(conf("env/standalone.conf").toFile()),
                List.of("spark.conf.\"spark.task.cpus\"=2"));
        assertEquals("2", spark.get("spark.executorEnv.OMP_NUM_THREADS"));
    }

    @Test
    void noEnvironmentFileHoldsASecret() throws IOException {
        for (String env : ENVIRONMENTS) {
            String text = Files.readString(conf("env/" + env + ".conf"), StandardCharsets.UTF_8);
            assertFalse(text.lines().anyMatch(l -> !l.strip().startsWith("#")
                    && l.contains("spark.authenticate.secret\"")), env);
        }
    }

    @Test
    void laterConfFilesWinOverEarlierOnes() {
        Map<String, String> spark = sparkConf(List.of(conf("env/yarn.conf").toFile(), conf("env/gpu.conf").toFile()),
                List.of());
        assertEquals("2", spark.get("spark.task.cpus"), "gpu.conf after yarn.conf");
        assertEquals("4", sparkConf(List.of(conf("env/gpu.conf").toFile(), conf("env/yarn.conf").toFile()), List.of())
                .get("spark.executor.instances"));
    }
}
