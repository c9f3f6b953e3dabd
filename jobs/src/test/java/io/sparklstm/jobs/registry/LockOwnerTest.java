package io.sparklstm.jobs.registry;

import io.sparklstm.model.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LockOwnerTest {

    /** The LOCK file as the lock wrote it before its owner was typed: a map filled in this order. */
    private static String mapJson(boolean startKnown) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", "node-1");
        m.put("pid", 4242L);
        if (startKnown) m.put("processStartMillis", 1_700_000_000_000L);
        m.put("token", "7d1c0e7e-0000-4000-8000-000000000001");
        m.put("purpose", "retrain round 3");
        m.put("acquiredAtMillis", 1_700_000_123_456L);
        return Json.mapper().writeValueAsString(m);
    }

    @Test
    void aLockFileIsWrittenAsTheMapWasWithOrWithoutTheProcessStartTime() throws Exception {
        for (boolean startKnown : new boolean[]{true, false}) {
            LockOwner owner = new LockOwner("node-1", 4242L,
                    startKnown ? Optional.of(1_700_000_000_000L) : Optional.empty(),
                    "7d1c0e7e-0000-4000-8000-000000000001", "retrain round 3", 1_700_000_123_456L);
            assertEquals(mapJson(startKnown), new String(owner.toJson(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void thisProcessOwnsItsLockUnderAFreshToken() {
        LockOwner a = LockOwner.ofThisProcess("retrain");
        LockOwner b = LockOwner.ofThisProcess("retrain");
        assertEquals(ProcessHandle.current().pid(), a.pid());
        assertEquals(RegistryLock.hostName(), a.host());
        assertEquals(false, a.token().equals(b.token()));
    }
}
