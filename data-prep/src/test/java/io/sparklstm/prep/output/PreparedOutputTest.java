package io.sparklstm.prep.output;

import io.sparklstm.prep.output.CrashPoints;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Files replaced in one step on the local filesystem: a crash at any moment leaves the old file or the new one. */
class PreparedOutputTest {

    private final Configuration conf = new Configuration();

    @Test
    void aCrashWhileAFileIsReplacedLeavesTheOldOneWhole(@TempDir Path dir) throws IOException {
        PreparedOutput.writeAtomically(dir.toUri().toString(), "CURRENT", bytes("1\n"), conf);
        try (var armed = CrashPoints.arm("replace-file:CURRENT", CrashPoints.Action.crash())) {
            assertThrows(CrashPoints.Crash.class,
                    () -> PreparedOutput.writeAtomically(dir.toUri().toString(), "CURRENT", bytes("2\n"), conf));
        }
        assertEquals("1\n", Files.readString(dir.resolve("CURRENT")));
        PreparedOutput.writeAtomically(dir.toUri().toString(), "CURRENT", bytes("2\n"), conf);
        assertEquals("2\n", Files.readString(dir.resolve("CURRENT")));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
