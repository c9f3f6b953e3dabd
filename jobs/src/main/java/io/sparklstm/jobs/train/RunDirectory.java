package io.sparklstm.jobs.train;

import io.sparklstm.model.bundle.BundleStore;
import io.sparklstm.model.bundle.ModelBundle;
import io.sparklstm.prep.output.PreparedOutput;
import io.sparklstm.prep.output.AtomicWrites;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A training run's directory on any Hadoop filesystem: {@code metrics.jsonl}, {@code summary.json},
 * {@code report.html}, {@code config.conf}, {@code checkpoints/} and {@code model/}. Every file a reader looks
 * for appears whole: written under a temporary name, then renamed over the old one in one step; bundle
 * directories are written beside and swapped in ({@link #writeBundle}).
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
    public void appendMetrics(EpochRecord epoch) {
        metricLines.add(epoch.toJsonLine());
        writeText(METRICS, String.join("\n", metricLines) + "\n");
    }

    /** Starts {@code metrics.jsonl} over with the records of a resumed run's completed epochs. */
    public void restoreMetrics(List<EpochRecord> records) {
        metricLines.clear();
        records.forEach(r -> metricLines.add(r.toJsonLine()));
        writeText(METRICS, String.join("\n", metricLines) + "\n");
    }

    /**
     * Writes a bundle to the directory {@code name}: complete beside it, then renamed into its place (the old
     * one renamed aside first and deleted last; {@link #readable} finds it aside if a crash came in between).
     */
    public void writeBundle(String name, ModelBundle bundle) {
        Path target = new Path(dir, name);
        try {
            Path beside = AtomicWrites.besideDirectory(target, conf);
            bundle.writeTo(store(beside));
            AtomicWrites.replaceDirectory(beside, target, conf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model bundle " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * The bundle directory to read for {@code directory} ({@code model/}, {@code checkpoints/best}): itself,
     * or the old one a replacement cut short by a crash left aside; empty when there is neither.
     */
    public static Optional<Path> readable(Path directory, Configuration conf) {
        try {
            return AtomicWrites.readableDirectory(directory, conf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * The bundle directory that {@code location} names: itself when it holds a bundle, else the {@code model/}
     * of the training run it is; for either, when a crash cut its replacement short, the old copy set aside.
     * {@code location} itself when none of these holds a bundle (the reader's error then names it).
     */
    public static Path bundleDirectory(Path location, Configuration conf) throws IOException {
        FileSystem fs = location.getFileSystem(conf);
        for (Path candidate : List.of(location, new Path(location, MODEL))) {
            Optional<Path> readable = readable(candidate, conf);
            if (readable.isPresent() && fs.exists(new Path(readable.get(), ModelBundle.INFO_FILE))) {
                return readable.get();
            }
        }
        return location;
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
