package io.sparklstm.jobs.registry;

import io.sparklstm.model.CellType;
import io.sparklstm.model.ModelSpec;
import io.sparklstm.model.NetworkFactory;
import io.sparklstm.model.Task;
import io.sparklstm.model.bundle.BundleInfo;
import io.sparklstm.model.bundle.ModelBundle;
import io.sparklstm.model.bundle.Provenance;
import io.sparklstm.model.data.Preparation;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry on Hadoop's local filesystem (the same FileSystem API as HDFS). */
class ModelRegistryTest {

    private static final Configuration CONF = new Configuration();

    private static ModelBundle bundle(long seed) {
        ModelSpec spec = new ModelSpec(CellType.LSTM, List.of(4), List.of(), false, 0, 0, ModelSpec.Clipping.NONE, 1,
                ModelSpec.Updater.ADAM, 1e-3, 1, 0, seed);
        Preparation prep = new Preparation("sequences", Task.CLASSIFICATION, List.of("x"), List.of(), List.of("a", "b"),
                5, 1, null, "", Map.of());
        return new ModelBundle(NetworkFactory.network(spec, Task.CLASSIFICATION, 1, 2),
                new BundleInfo(BundleInfo.FORMAT_VERSION, spec, prep, Map.of(), Map.of(),
                        Provenance.current("test", Map.of(), Map.of())));
    }

    @Test
    void versionsArePublishedWholeAndCurrentIsReplacedAtomically(@TempDir Path root) {
        ModelRegistry registry = new ModelRegistry(root.toUri().toString(), "etth1", CONF);
        assertEquals(Optional.empty(), registry.current());
        int v1 = registry.publish(bundle(1), Map.of("parent", 0));
        int v2 = registry.publish(bundle(2), Map.of("parent", 1));
        assertEquals(List.of(1, 2), List.of(v1, v2));
        assertEquals(Optional.empty(), registry.current(), "publishing does not put a version in service");
        registry.promote(v2);
        assertEquals(Optional.of(2), registry.current());
        assertEquals(2, registry.info(2).get("version"));
        assertEquals(1, registry.info(2).get("parent"));
        assertEquals(bundle(2).network().params(), registry.bundle(2).network().params());
        assertTrue(Files.exists(root.resolve("etth1/CURRENT")));
        assertFalse(Files.exists(root.resolve("etth1/.CURRENT.tmp")));
    }

    @Test
    void anInterruptedPublicationIsNeitherAVersionNorPromotable(@TempDir Path root) throws IOException {
        ModelRegistry registry = new ModelRegistry(root.toUri().toString(), "m", CONF);
        registry.promote(registry.publish(bundle(1), Map.of()));
        // a crash while writing version 2 leaves its hidden staging directory
        Path staging = Files.createDirectories(root.resolve("m/versions/.2.publishing"));
        Files.writeString(staging.resolve("network.zip"), "half");
        assertEquals(List.of(1), registry.versions());
        assertThrows(RegistryException.class, () -> registry.promote(2));
        assertEquals(Optional.of(1), registry.current());
        registry.retain(5);
        assertFalse(Files.exists(staging), "retention removes leftovers of interrupted publications");
        // and the next publication takes number 2 cleanly
        assertEquals(2, registry.publish(bundle(2), Map.of()));
    }

    @Test
    void retentionKeepsTheNewestAndTheVersionInService(@TempDir Path root) {
        ModelRegistry registry = new ModelRegistry(root.toUri().toString(), "m", CONF);
        for (int i = 1; i <= 5; i++) registry.publish(bundle(i), Map.of());
        registry.promote(1);
        assertEquals(List.of(2, 3), registry.retain(2));
        assertEquals(List.of(1, 4, 5), registry.versions());
        assertEquals(Optional.of(1), registry.current());
    }

    @Test
    void historyKeepsEveryDecisionInOrder(@TempDir Path root) throws IOException {
        ModelRegistry registry = new ModelRegistry(root.toUri().toString(), "m", CONF);
        registry.record(Map.of("round", 1, "decision", "promoted"));
        registry.record(Map.of("round", 2, "decision", "kept champion"));
        List<Map<String, Object>> history = registry.history();
        assertEquals(2, history.size());
        assertEquals("kept champion", history.get(1).get("decision"));
        assertEquals(2, Files.readAllLines(root.resolve("m/history.jsonl"), StandardCharsets.UTF_8).size());
    }

    @Test
    void aCurrentPointerToAMissingVersionIsAnError(@TempDir Path root) throws IOException {
        ModelRegistry registry = new ModelRegistry(root.toUri().toString(), "m", CONF);
        Files.createDirectories(root.resolve("m"));
        Files.writeString(root.resolve("m/CURRENT"), "7\n");
        RegistryException e = assertThrows(RegistryException.class, registry::current);
        assertTrue(e.getMessage().contains("version 7"), e.getMessage());
    }

    @Test
    void aLiveLockRefusesASecondRunAndIsReleasedOnClose(@TempDir Path root) {
        ModelRegistry registry = new ModelRegistry(root.toUri().toString(), "m", CONF);
        try (RegistryLock first = registry.lock("retrain", Duration.ofHours(6))) {
            assertTrue(first.broken().isEmpty());
            RegistryLockedException e = assertThrows(RegistryLockedException.class,
                    () -> registry.lock("retrain", Duration.ofHours(6)));
            assertTrue(e.getMessage().contains("locked by process " + ProcessHandle.current().pid()), e.getMessage());
        }
        assertFalse(Files.exists(root.resolve("m/LOCK")));
        registry.lock("retrain", Duration.ofHours(6)).close();
    }

    @Test
    void aLockLeftByACrashedProcessIsBroken(@TempDir Path root) throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.createDirectories(root.resolve("m"));
        Files.writeString(root.resolve("m/LOCK"), "{\"host\":\"" + RegistryLock.hostName() + "\",\"pid\":" + gone.pid()
                + ",\"purpose\":\"retrain\",\"acquiredAtMillis\":" + System.currentTimeMillis() + "}");
        ModelRegistry registry = new ModelRegistry(root.toUri().toString(), "m", CONF);
        try (RegistryLock lock = registry.lock("retrain", Duration.ofHours(6))) {
            assertTrue(lock.broken().isPresent());
            assertTrue(String.valueOf(lock.broken().get().get("brokenBecause")).contains("is gone"));
        }
    }

    @Test
    void aLockOfAnotherHostIsBrokenOnlyWhenOld(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("m"));
        Path lockFile = root.resolve("m/LOCK");
        long now = System.currentTimeMillis();
        Files.writeString(lockFile, "{\"host\":\"elsewhere\",\"pid\":1,\"acquiredAtMillis\":" + now + "}");
        ModelRegistry registry = new ModelRegistry(root.toUri().toString(), "m", CONF);
        assertThrows(RegistryLockedException.class, () -> registry.lock("retrain", Duration.ofMinutes(30)));
        Files.writeString(lockFile, "{\"host\":\"elsewhere\",\"pid\":1,\"acquiredAtMillis\":" + (now - 3_600_000) + "}");
        try (RegistryLock lock = registry.lock("retrain", Duration.ofMinutes(30))) {
            assertTrue(String.valueOf(lock.broken().get().get("brokenBecause")).contains("more than 30 minutes"));
        }
    }
}
