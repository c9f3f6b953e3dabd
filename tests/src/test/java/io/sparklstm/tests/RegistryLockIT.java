package io.sparklstm.tests;

import io.sparklstm.jobs.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static io.sparklstm.tests.RetrainRounds.Child;
import static io.sparklstm.tests.RetrainRounds.args;
import static io.sparklstm.tests.RetrainRounds.assertSettled;
import static io.sparklstm.tests.RetrainRounds.decisions;
import static io.sparklstm.tests.RetrainRounds.increment;
import static io.sparklstm.tests.RetrainRounds.registry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two retrain processes on one registry: the lock is a lease, renewed while a round runs and fenced before writes. */
class RegistryLockIT {

    /**
     * The first run trains its challenger and stands still before publishing it (a long pause, a hung host),
     * holding a lock with a stale age of 6 s: while it renews the lock, a second run finds it locked however old
     * the lock is; once the lock is broken, a third run decides the round, and the first goes on to find its lock
     * lost and writes nothing: one version, one decision.
     */
    @Test
    void aLiveLockOutlastsItsStaleAgeAndARunWhoseLockWasBrokenWritesNothing(@TempDir Path dir) throws Exception {
        Path registry = dir.resolve("registry");
        Path lock = registry.resolve("etth1/LOCK");
        Path raw = increment(dir, 3);
        String[] stale = {"--set", "retrain.lockStaleMinutes=0.1"};
        Child first = Child.start(dir, "first", args(registry, dir.resolve("work-first"), raw, "r1", stale),
                Optional.of("retrain.trained")).awaitPause();
        Thread.sleep(9_000);
        assertEquals(first.pid(), Repo.json(lock).get("pid").asLong(), "the first run still holds the lock");
        assertTrue(System.currentTimeMillis() - Files.getLastModifiedTime(lock).toMillis() < 6_000, "renewed");
        assertEquals(75, Main.execute(args(registry, dir.resolve("work-second"), raw, "r1", stale)));

        // broken as a run judging it stale breaks it (moved away), and the round decided by a third run
        Files.move(lock, registry.resolve("etth1/.LOCK.broken-by-test"));
        assertEquals(0, Main.execute(args(registry, dir.resolve("work-third"), raw, "r1", stale)));
        assertEquals(75, first.release(), first.log());
        assertTrue(first.log().contains("was lost"), first.log());
        assertEquals(Optional.of(1), assertSettled(registry));
        assertEquals(List.of(1), registry(registry).versions());
        assertEquals(List.of("promoted"), decisions(registry));
    }
}
