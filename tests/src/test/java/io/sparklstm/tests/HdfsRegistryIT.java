package io.sparklstm.tests;

import io.sparklstm.jobs.registry.ModelRegistry;
import io.sparklstm.jobs.registry.RegistryLock;
import io.sparklstm.jobs.registry.RoundDecision;
import io.sparklstm.jobs.registry.RoundRecord;
import io.sparklstm.jobs.registry.RegistryLockLostException;
import io.sparklstm.jobs.registry.RegistryLockedException;
import io.sparklstm.model.CellType;
import io.sparklstm.model.ModelSpec;
import io.sparklstm.model.NetworkFactory;
import io.sparklstm.model.Task;
import io.sparklstm.model.bundle.BundleInfo;
import io.sparklstm.model.bundle.ModelBundle;
import io.sparklstm.model.bundle.Provenance;
import io.sparklstm.model.data.Preparation;
import io.sparklstm.prep.output.AtomicWrites;
import io.sparklstm.prep.output.CrashPoints;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry's atomic writes and its lock on HDFS (a MiniDFSCluster): what the local tests check, on the NameNode. */
class HdfsRegistryIT {

    private static final Duration STALE = Duration.ofHours(6);

    @TempDir
    static java.nio.file.Path local;

    private static MiniDFSCluster cluster;
    private static FileSystem hdfs;
    private static Configuration conf;

    @BeforeAll
    static void startHdfs() throws IOException {
        conf = new Configuration();
        conf.set("dfs.namenode.http-address", "127.0.0.1:0");
        conf.set("dfs.datanode.address", "127.0.0.1:0");
        conf.set("dfs.datanode.http.address", "127.0.0.1:0");
        conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
        cluster = new MiniDFSCluster.Builder(conf, local.resolve("dfs").toFile()).numDataNodes(1).build();
        cluster.waitActive();
        hdfs = cluster.getFileSystem();
    }

    @AfterAll
    static void stopHdfs() {
        if (cluster != null) cluster.shutdown(true);
    }

    private static Path dir(String name) throws IOException {
        Path p = hdfs.makeQualified(new Path("/" + name));
        hdfs.mkdirs(p);
        return p;
    }

    private static String read(Path file) throws IOException {
        try (InputStream in = hdfs.open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

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
    void aDirectoryIsNeverRenamedIntoAnExistingOneAndAFileIsReplacedInOneStep() throws IOException {
        Path root = dir("renames");
        Path version = new Path(root, "versions/1");
        Path staging = new Path(root, "versions/.1.publishing-x");
        hdfs.mkdirs(version);
        hdfs.mkdirs(staging);
        hdfs.create(new Path(staging, "bundle.json")).close();
        // FileSystem.rename would move the staging directory inside versions/1; a claim refuses
        assertFalse(AtomicWrites.claim(staging, version, conf));
        assertEquals(0, hdfs.listStatus(version).length);
        assertTrue(hdfs.exists(new Path(staging, "bundle.json")));

        Path current = new Path(root, "CURRENT");
        AtomicWrites.replaceFile(current, "1\n".getBytes(StandardCharsets.UTF_8), conf);
        try (var armed = CrashPoints.arm("replace-file:CURRENT", CrashPoints.Action.crash())) {
            assertThrows(CrashPoints.Crash.class,
                    () -> AtomicWrites.replaceFile(current, "2\n".getBytes(StandardCharsets.UTF_8), conf));
        }
        assertEquals("1\n", read(current), "a crash before the rename leaves the old file");
        AtomicWrites.replaceFile(current, "2\n".getBytes(StandardCharsets.UTF_8), conf);
        assertEquals("2\n", read(current));
        try (FSDataOutputStream out = hdfs.create(new Path(root, "taken"))) {
            out.write(1);
        }
        Path mine = AtomicWrites.writeBeside(new Path(root, "taken"), new byte[]{2}, conf);
        assertFalse(AtomicWrites.claim(mine, new Path(root, "taken"), conf), "an exclusive create never replaces");
    }

    @Test
    void aRoundOnHdfsPublishesPromotesRecordsAndFencesARunThatLostItsLock() throws IOException {
        Path root = dir("registry");
        ModelRegistry registry = new ModelRegistry(root.toString(), "m", conf);
        ModelRegistry.checkFilesystem(root.toString(), conf, false);
        try (RegistryLock lock = registry.lock("first", STALE)) {
            assertThrows(RegistryLockedException.class, () -> registry.lock("second", STALE));
            registry.promote(lock, registry.publish(lock, bundle(1), Map.of("round", "r1")));
            registry.record(lock, RoundRecord.of("r1", RoundDecision.PROMOTED).promotedAs(1));
            lock.checkHeld(); // renewed on the NameNode
        }
        assertEquals(Optional.of(1), registry.current());
        assertEquals(RoundDecision.PROMOTED, registry.history().get(0).decision());

        RegistryLock first = registry.lock("first", STALE);
        // broken (moved away, as a run judging it stale does) and taken by another run
        assertTrue(hdfs.rename(new Path(root, "m/LOCK"), new Path(root, "m/.LOCK.broken-by-test")));
        try (RegistryLock second = registry.lock("second", STALE)) {
            assertThrows(RegistryLockLostException.class, () -> registry.publish(first, bundle(2), Map.of()));
            first.close();
            assertEquals(List.of(1), registry.versions());
            assertEquals(2, registry.publish(second, bundle(2), Map.of()));
        }
    }
}
