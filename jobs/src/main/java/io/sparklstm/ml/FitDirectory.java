package io.sparklstm.ml;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;

/**
 * The directory where an estimator's {@code fit} stages its rows, the prepared dataset and the training run: one
 * of its own under the {@code tempDir} param (default {@code /tmp/spark-lstm-ml} on the default filesystem, so HDFS
 * on a YARN cluster: every executor must read it), removed when the fit ends.
 */
final class FitDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(FitDirectory.class);

    private FitDirectory() {
    }

    /** A new directory name for one fit of the estimator {@code uid}; nothing is created yet. */
    static Path create(String tempDir, String uid, Configuration hadoop) {
        try {
            Path base = tempDir.isEmpty() ? FileSystem.get(hadoop).makeQualified(new Path("/tmp/spark-lstm-ml"))
                    : new Path(tempDir);
            return new Path(base, uid + "-" + UUID.randomUUID());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the default filesystem for tempDir: " + e.getMessage(), e);
        }
    }

    /** Removes a fit's directory; a failure is logged, not thrown, as the fit's own outcome matters more. */
    static void delete(Path dir, Configuration hadoop) {
        try {
            dir.getFileSystem(hadoop).delete(dir, true);
        } catch (IOException e) {
            LOG.warn("could not remove the temporary directory {}: {}", dir, e.getMessage());
        }
    }
}
