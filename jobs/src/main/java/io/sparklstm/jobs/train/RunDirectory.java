package io.sparklstm.jobs.train;

import io.sparklstm.model.Json;
import io.sparklstm.model.bundle.BundleStore;
import io.sparklstm.model.bundle.ModelBundle;
import io.sparklstm.prep.PreparedOutput;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A training run's directory on any Hadoop filesystem: {@code metrics.jsonl}, {@code summary.json},
 * {@code report.html}, {@code config.conf}, {@code checkpoints/} and {@code model/}. Every file a reader looks
 * for appears whole: written under a temporary name, then renamed.
 */
public final class RunDirectory {

    public static final String METRICS = "metrics.jsonl";
    public static final String SUMMARY = "summary.json";
    public static final String REPORT = "report.html";
    public static final String CONFIG = "config.conf";
    public static final String MODEL = "model";
    public static final String CHECKPOINTS = "checkpoints";
    public static final String TRAINING_STATS = "training-stats.html";

    private final String dir;
    private final Configuration conf;
    private final List<String> metricLines = new ArrayList<>();

    public RunDirectory(String dir, Configuration conf) {
        this.dir = dir;
        this.conf = conf;
    }

    public String path() {
        return dir;
    }

    public String resolve(String name) {
        return new Path(dir, name).toString();
    }

    public void writeText(String name, String text) {
        PreparedOutput.writeAtomically(dir, name, text.getBytes(StandardCharsets.UTF_8), conf);
    }

    public void writeBytes(String name, byte[] bytes) {
        PreparedOutput.writeAtomically(dir, name, bytes, conf);
    }

    public void writeJson(String name, Object value) {
        PreparedOutput.writeJson(dir, name, value, conf);
    }

    /** Appends one epoch's record; the file is rewritten whole, since not every filesystem can append. */
    public void appendMetrics(Map<String, Object> epoch) {
        addMetricLine(epoch);
        writeText(METRICS, String.join("\n", metricLines) + "\n");
    }

    /** Starts {@code metrics.jsonl} over with the records of a resumed run's completed epochs. */
    public void restoreMetrics(List<Map<String, Object>> records) {
        metricLines.clear();
        records.forEach(this::addMetricLine);
        writeText(METRICS, String.join("\n", metricLines) + "\n");
    }

    private void addMetricLine(Map<String, Object> record) {
        try {
            metricLines.add(Json.compact().writeValueAsString(record));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a bundle to {@code name} under a temporary directory name, then renames it into place. */
    public void writeBundle(String name, ModelBundle bundle) {
        Path target = new Path(dir, name);
        Path temporary = new Path(dir, "." + name.replace('/', '_') + ".tmp");
        try {
            FileSystem fs = target.getFileSystem(conf);
            fs.delete(temporary, true);
            bundle.writeTo(store(temporary));
            if (fs.exists(target) && !fs.delete(target, true)) {
                throw new IOException("cannot replace " + target);
            }
            fs.mkdirs(target.getParent());
            io.sparklstm.prep.output.CrashPoints.reach("replace-directory:" + target.getName());
            if (!fs.rename(temporary, target)) {
                throw new IOException("cannot rename " + temporary + " to " + target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model bundle " + target + ": " + e.getMessage(), e);
        }
    }

    public void delete(String name) {
        Path path = new Path(dir, name);
        try {
            path.getFileSystem(conf).delete(path, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path + ": " + e.getMessage(), e);
        }
    }

    /** A bundle directory on any Hadoop filesystem. */
    public static BundleStore store(Path directory, Configuration conf) {
        return new HadoopBundleStore(directory, conf);
    }

    private BundleStore store(Path directory) {
        return store(directory, conf);
    }
}
