package io.sparklstm.jobs.registry;

import io.sparklstm.model.CellType;
import io.sparklstm.model.ModelSpec;
import io.sparklstm.model.NetworkFactory;
import io.sparklstm.model.Task;
import io.sparklstm.model.bundle.BundleInfo;
import io.sparklstm.model.bundle.ModelBundle;
import io.sparklstm.model.bundle.Provenance;
import io.sparklstm.model.data.Preparation;
import io.sparklstm.prep.output.CrashPoints;
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

    private static final Duration STALE = Duration.ofHours(6);

    @Test
    void versionsArePublishedWholeAndCurrentIsReplacedAtomically(@TempDir Path root) throws IOException {
        ModelRegistry registry = new ModelRegistry(root.toUri().toString(), "etth1", CONF);
        assertEquals(Optional.empty(), registry.current());
        try (RegistryLock lock = registry.lock("test", STALE)) {
            int v1 = registry.publish(lock, bundle(1), Map.of("parent", 0));
            int v2 = registry.publish(lock, bundle(2), Map.of("parent", 1));
            assertEquals(List.of(1, 2), List.of(v1, v2));
            assertEquals(Optional.empty(), registry.current(), "publishing does not put a version in service");
            registry.promote(lock, v2);
        }
        assertEquals(Optional.of(2), registry.current());
        assertEquals(2, registry.info(2).get("version"));
        assertEquals(1, registry.info(2).get("parent"));
        assertEquals(bundle(2).network().params(), registry.bundle(2).network().params());
        assertEquals(List.of("CURRENT", "versions"), names(root.resolve("etth1")));
    }

    @Test
    void whatAnInterruptedPublicationLeftIsNeitherAVersionNorPromotableAndIsTidiedAway(@TempDir Path root)
            throws IOException {
        ModelRegistry registry = new ModelRegistry(root.toUri().toString(), "m", CONF);
        try (RegistryLock lock = registry.lock("test", STALE)) {
            registry.promote(lock, registry.publish(lock, bundle(1), Map.of()));
            // crashes while publishing version 2, now and with older versions, and while replacing CURRENT
            try (var armed = CrashPoints.arm("registry.publish.staged", CrashPoints.Action.crash())) {
                assertThrows(CrashPoints.Crash.class, () -> registry.publish(lock, bundle(2), Map.of()));
            }
            Path older = Files.createDirectories(root.resolve("m/versions/.2.publishing"));
            Files.writeString(older.resolve("network.zip"), "half");
            try (var armed = CrashPoints.arm("replace-file:CURRENT", CrashPoints.Action.crash())) {
                assertThrows(CrashPoints.Crash.class, () -> registry.promote(lock, 1));
            }
            assertEquals(List.of(1), registry.versions());
            assertThrows(RegistryException.class, () -> registry.promote(lock, 2));
            assertEquals(Optional.of(1), registry.current());
            assertEquals(3, registry.tidy(lock));
            assertEquals(List.of("1"), names(root.resolve("m/versions")));
            assertEquals(List.of("CURRENT", "LOCK", "versions"), names(root.resolve("m")));
            // and the next publication takes number 2 cleanly
            assertEquals(2, registry.publish(lock, bundle(2), Map.of()));
        }
    }

    @Test
    void retentionKeepsTheNewestAndTheVersionInService(@TempDir Path root) {
        ModelRegistry registry = new ModelRegistry(root.toUri().toString(), "m", CONF);
        try (RegistryLock lock = registry.lock("test", STALE)) {
            for (int i = 1; i <= 5; i++) registry.publish(lock, bundle(i), Map.of());
            registry.promote(lock, 1);
            assertEquals(List.of(2, 3), registry.retain(lock, 2));
        }
        assertEquals(List.of(1, 4, 5), registry.versions());
        assertEquals(Optional.of(1), registry.current());
    }

    @Test
    void historyKeepsEveryDecisionInOrderOneFilePerDecision(@TempDir Path root) throws IOException {
        ModelRegistry registry = new ModelRegistry(root.toUri().toString(), "m", CONF);
        try (RegistryLock lock = registry.lock("test", STALE)) {
            for (int i = 1; i <= 11; i++) {
                registry.record(lock, RoundRecord.of(String.valueOf(i),
                        i % 2 == 0 ? RoundDecision.KEPT_CHAMPION : RoundDecision.PROMOTED));
            }
        }
        List<RoundRecord> history = registry.history();
        assertEquals(11, history.size());
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"),
                history.stream().map(RoundRecord::round).toList());
        assertEquals("00000011.json", names(root.resolve("m/history")).get(10));
    }

    @Test
    void theHistoryOfAnOlderRegistryIsReadFirstAndKept(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("m"));
        Files.writeString(root.resolve("m/history.jsonl"), "{\"round\":\"a\",\"decision\":\"promoted\",\"version\":1}\n"
                + "{\"round\":\"b\",\"decision\":\"kept champion\"}\n");
        ModelRegistry registry = new ModelRegistry(root.toUri().toString(), "m", CONF);
        try (RegistryLock lock = registry.lock("test", STALE)) {
            registry.record(lock, RoundRecord.of("c", RoundDecision.PROMOTED));
        }
        assertEquals(List.of("a", "b", "c"), registry.history().stream().map(RoundRecord::round).toList());
        assertEquals(2, Files.readAllLines(root.resolve("m/history.jsonl")).size(), "the old file is not rewritten");
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
    void aLockOfAnotherHostIsBrokenOnlyWhenNotRenewedForTheStaleAge(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("m"));
        Path lockFile = root.resolve("m/LOCK");
        long now = System.currentTimeMillis();
        Files.writeString(lockFile, "{\"host\":\"elsewhere\",\"pid\":1,\"acquiredAtMillis\":" + (now - 3_600_000) + "}");
        ModelRegistry registry = new ModelRegistry(root.toUri().toString(), "m", CONF);
        assertThrows(RegistryLockedException.class, () -> registry.lock("retrain", Duration.ofMinutes(30)));
        // an hour old, and not renewed since: the file's modification time is when it was last renewed
        Files.setLastModifiedTime(lockFile, java.nio.file.attribute.FileTime.fromMillis(now - 3_600_000));
        try (RegistryLock lock = registry.lock("retrain", Duration.ofMinutes(30))) {
            assertTrue(String.valueOf(lock.broken().get().get("brokenBecause")).contains("not renewed for more than 30 minutes"));
        }
    }

    @Test
    void aCrashWhileCurrentIsReplacedLeavesTheChampionInService(@TempDir Path root) {
        ModelRegistry registry = new ModelRegistry(root.toUri().toString(), "m", CONF);
        try (RegistryLock lock = registry.lock("test", STALE)) {
            registry.promote(lock, registry.publish(lock, bundle(1), Map.of()));
            int challenger = registry.publish(lock, bundle(2), Map.of());
            try (var armed = CrashPoints.arm("replace-file:CURRENT", CrashPoints.Action.crash())) {
                assertThrows(CrashPoints.Crash.class, () -> registry.promote(lock, challenger));
            }
        }
        assertEquals(Optional.of(1), registry.current(), "a crash inside promote() leaves the champion in service");
    }

    @Test
    void aCrashWhileADecisionIsRecordedLosesNoEarlierDecision(@TempDir Path root) {
        ModelRegistry registry = new ModelRegistry(root.toUri().toString(), "m", CONF);
        try (RegistryLock lock = registry.lock("test", STALE)) {
            registry.record(lock, RoundRecord.of("1", RoundDecision.PROMOTED));
            registry.record(lock, RoundRecord.of("2", RoundDecision.KEPT_CHAMPION));
            try (var armed = CrashPoints.arm("registry.record.staged", CrashPoints.Action.crash())) {
                assertThrows(CrashPoints.Crash.class,
                        () -> registry.record(lock, RoundRecord.of("3", RoundDecision.PROMOTED)));
            }
            assertEquals(List.of("1", "2"), registry.history().stream().map(RoundRecord::round).toList());
            registry.record(lock, RoundRecord.of("3", RoundDecision.PROMOTED));
        }
        assertEquals(List.of("1", "2", "3"), registry.history().stream().map(RoundRecord::round).toList());
    }

    @Test
    void aLiveLockOlderThanTheStaleAgeIsNotBroken(@TempDir Path root) throws InterruptedException {
        ModelRegistry registry = new ModelRegistry(root.toUri().toString(), "m", CONF);
        Duration stale = Duration.ofSeconds(2);
        try (RegistryLock first = registry.lock("retrain", stale)) {
            Thread.sleep(3_000); // the holder is alive and working: older than the stale age, but renewed
            assertThrows(RegistryLockedException.class, () -> registry.lock("retrain", stale).close());
        }
    }

    @Test
    void twoRunsBreakingOneStaleLockDoNotBothGetIt(@TempDir Path root) throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.createDirectories(root.resolve("m"));
        Files.writeString(root.resolve("m/LOCK"), "{\"host\":\"" + RegistryLock.hostName() + "\",\"pid\":" + gone.pid()
                + ",\"purpose\":\"retrain\",\"acquiredAtMillis\":" + System.currentTimeMillis() + "}");
        ModelRegistry registry = new ModelRegistry(root.toUri().toString(), "m", CONF);
        Path paused = root.resolve("paused");
        java.util.concurrent.CompletableFuture<RegistryLock> first;
        try (var armed = CrashPoints.arm("lock.judged-stale#1", CrashPoints.Action.pause(paused))) {
            // the first run finds the lock stale and stops just before breaking it
            first = java.util.concurrent.CompletableFuture.supplyAsync(() -> registry.lock("first", Duration.ofHours(6)));
            while (!Files.exists(paused)) Thread.sleep(20);
            // meanwhile a second run breaks the same stale lock and takes the registry
            try (RegistryLock second = registry.lock("second", Duration.ofHours(6))) {
                assertTrue(second.broken().isPresent());
                Files.delete(paused);
                // the first run goes on: it must not take the lock the second one holds
                java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                        () -> first.get(30, java.util.concurrent.TimeUnit.SECONDS).close());
                assertTrue(e.getCause() instanceof RegistryLockedException, e.getCause().toString());
            }
        }
    }

    @Test
    void aRunWhoseLockWasTakenOverWritesNothing(@TempDir Path root) throws IOException {
        ModelRegistry registry = new ModelRegistry(root.toUri().toString(), "m", CONF);
        RegistryLock first = registry.lock("first", STALE);
        // broken while its holder still runs (judged stale: moved away), and taken by a second run
        Files.move(root.resolve("m/LOCK"), root.resolve("m/.LOCK.broken-by-test"));
        try (RegistryLock second = registry.lock("second", STALE)) {
            for (Runnable write : List.<Runnable>of(() -> registry.publish(first, bundle(1), Map.of()),
                    () -> registry.record(first, RoundRecord.of("r", RoundDecision.KEPT_CHAMPION)),
                    () -> registry.retain(first, 1), () -> registry.tidy(first))) {
                RegistryLockLostException e = assertThrows(RegistryLockLostException.class, write::run);
                assertTrue(e.getMessage().contains("taken over by process"), e.getMessage());
            }
            first.close(); // and releasing it leaves the second run's lock alone
            assertEquals(List.of(), registry.versions());
            assertEquals(List.of(), registry.history());
            assertTrue(Files.exists(root.resolve("m/LOCK")));
            assertEquals(1, registry.publish(second, bundle(1), Map.of()));
        }
    }

    @Test
    void ofRunsTakingAFreeRegistryAtOnceExactlyOneGetsTheLock(@TempDir Path root) throws Exception {
        ModelRegistry registry = new ModelRegistry(root.toUri().toString(), "m", CONF);
        int runs = 8;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(runs);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(runs);
        try {
            for (int round = 0; round < 10; round++) {
                List<java.util.concurrent.Future<Optional<RegistryLock>>> attempts = new java.util.ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    attempts.add(pool.submit(() -> {
                        start.await();
                        try {
                            return Optional.of(registry.lock("run", STALE));
                        } catch (RegistryLockedException e) {
                            return Optional.<RegistryLock>empty();
                        }
                    }));
                }
                List<RegistryLock> holders = new java.util.ArrayList<>();
                for (var attempt : attempts) attempt.get(30, java.util.concurrent.TimeUnit.SECONDS).ifPresent(holders::add);
                assertEquals(1, holders.size(), "round " + round + ": " + holders.size() + " runs hold the lock");
                holders.forEach(RegistryLock::close);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aCurrentPointerThatAnOlderVersionLostInACrashIsRestoredNotTakenForAnEmptyRegistry(@TempDir Path root)
            throws IOException {
        ModelRegistry registry = new ModelRegistry(root.toUri().toString(), "m", CONF);
        try (RegistryLock lock = registry.lock("test", STALE)) {
            registry.publish(lock, bundle(1), Map.of("round", "a"));
            registry.publish(lock, bundle(2), Map.of("round", "b"));
        }
        // as the version before this one left it: history.jsonl records version 2 in service, CURRENT deleted
        // and not yet replaced when the process died
        Files.writeString(root.resolve("m/history.jsonl"), "{\"round\":\"a\",\"decision\":\"promoted\",\"version\":1}\n"
                + "{\"round\":\"b\",\"decision\":\"promoted\",\"version\":2}\n");
        assertEquals(Optional.empty(), registry.current());
        try (RegistryLock lock = registry.lock("test", STALE)) {
            RetrainJob.reconcile(registry, lock);
        }
        assertEquals(Optional.of(2), registry.current());
        assertEquals(List.of(RoundDecision.PROMOTED, RoundDecision.PROMOTED, RoundDecision.RESTORED),
                registry.history().stream().map(RoundRecord::decision).toList());
    }

    private static List<String> names(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc")).sorted().toList();
        }
    }
}
