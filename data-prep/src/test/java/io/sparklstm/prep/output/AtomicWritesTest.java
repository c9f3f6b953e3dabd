package io.sparklstm.prep.output;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The atomic writes on Hadoop's local filesystem (HDFS: HdfsRegistryIT in tests/). */
class AtomicWritesTest {

    private final Configuration conf = new Configuration();

    private static org.apache.hadoop.fs.Path hadoop(Path p) {
        return new org.apache.hadoop.fs.Path(p.toUri());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private String readThroughHadoop(Path file) throws IOException {
        FileSystem fs = hadoop(file).getFileSystem(conf);
        try (InputStream in = fs.open(hadoop(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aFileWrittenWithAChecksumIsReplacedAndStillReadsThroughHadoop(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("CURRENT");
        FileSystem fs = hadoop(file).getFileSystem(conf);
        try (FSDataOutputStream out = fs.create(hadoop(file), true)) {
            out.write(bytes("1\n"));
        }
        assertTrue(Files.exists(dir.resolve(".CURRENT.crc")), "Hadoop's local filesystem wrote a checksum");
        AtomicWrites.replaceFile(hadoop(file), bytes("22\n"), conf);
        assertEquals("22\n", readThroughHadoop(file), "no stale checksum is checked against the new content");
        assertEquals(List.of("CURRENT"), names(dir));
    }

    @Test
    void aClaimNeverTakesAnExistingNameAndNeverMovesIntoADirectory(@TempDir Path dir) throws IOException {
        Path taken = Files.writeString(dir.resolve("LOCK"), "held");
        org.apache.hadoop.fs.Path mine = AtomicWrites.writeBeside(hadoop(taken), bytes("mine"), conf);
        assertFalse(AtomicWrites.claim(mine, hadoop(taken), conf));
        assertEquals("held", Files.readString(taken));
        Files.delete(taken);
        assertTrue(AtomicWrites.claim(mine, hadoop(taken), conf));
        assertEquals("mine", readThroughHadoop(taken));

        Path version = Files.createDirectories(dir.resolve("versions/1"));
        Files.writeString(version.resolve("bundle.json"), "first");
        Path staging = Files.createDirectories(dir.resolve("versions/.1.publishing-x"));
        Files.writeString(staging.resolve("bundle.json"), "second");
        assertFalse(AtomicWrites.claim(hadoop(staging), hadoop(version), conf));
        assertEquals(List.of("bundle.json"), names(version), "nothing moved into the existing version");
        assertTrue(Files.isDirectory(staging));
    }

    @Test
    void aDirectoryReplacementCutShortLeavesTheOldOneReadableAndTheNextOnePutsItBack(@TempDir Path dir) throws IOException {
        org.apache.hadoop.fs.Path best = hadoop(dir.resolve("checkpoints/best"));
        writeDirectory(best, "epoch 1");
        org.apache.hadoop.fs.Path second = AtomicWrites.besideDirectory(best, conf);
        Files.writeString(Path.of(second.toUri()).resolve("bundle.json"), "epoch 2");
        try (var armed = CrashPoints.arm("replace-directory:best", CrashPoints.Action.crash())) {
            assertThrows(CrashPoints.Crash.class, () -> AtomicWrites.replaceDirectory(second, best, conf));
        }
        assertFalse(Files.exists(dir.resolve("checkpoints/best")), "the crash came between the two renames");
        Optional<org.apache.hadoop.fs.Path> readable = AtomicWrites.readableDirectory(best, conf);
        assertEquals("epoch 1", Files.readString(Path.of(readable.orElseThrow().toUri()).resolve("bundle.json")));

        writeDirectory(best, "epoch 3");
        assertEquals("epoch 3", Files.readString(dir.resolve("checkpoints/best/bundle.json")));
        assertEquals(List.of("best"), names(dir.resolve("checkpoints")), "nothing left beside it");
    }

    private void writeDirectory(org.apache.hadoop.fs.Path target, String content) throws IOException {
        org.apache.hadoop.fs.Path beside = AtomicWrites.besideDirectory(target, conf);
        Files.writeString(Path.of(beside.toUri()).resolve("bundle.json"), content);
        AtomicWrites.replaceDirectory(beside, target, conf);
    }

    @Test
    void s3aAndOtherFilesystemsAreNotAtomicLocalAndHdfsAre() {
        assertEquals(AtomicWrites.Guarantee.ATOMIC, AtomicWrites.guarantee("file"));
        assertEquals(AtomicWrites.Guarantee.ATOMIC, AtomicWrites.guarantee("hdfs"));
        assertEquals(AtomicWrites.Guarantee.NONE, AtomicWrites.guarantee("s3a"));
        assertEquals(AtomicWrites.Guarantee.NONE, AtomicWrites.guarantee("abfs"));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
