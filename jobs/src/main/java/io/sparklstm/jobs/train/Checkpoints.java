package io.sparklstm.jobs.train;

import io.sparklstm.jobs.BuildInfo;
import io.sparklstm.model.ModelSpec;
import io.sparklstm.model.bundle.BundleInfo;
import io.sparklstm.model.bundle.ModelBundle;
import io.sparklstm.model.bundle.Provenance;
import io.sparklstm.model.data.Preparation;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checkpoints of a run, under {@code checkpoints/} on any Hadoop filesystem: {@code epoch-NNNN} after each
 * epoch (network, updater state and the training state so far; the previous one is removed once the new one
 * is in place) and {@code best}, the epoch with the best validation metric. Each is a model bundle renamed
 * into place whole, so the newest complete one is always readable.
 */
final class Checkpoints {

    private static final Pattern EPOCH = Pattern.compile("epoch-(\\d{4,})");
    static final String BEST = RunDirectory.CHECKPOINTS + "/best";

    private final RunDirectory run;
    private final Configuration conf;

    Checkpoints(RunDirectory run, Configuration conf) {
        this.run = run;
        this.conf = conf;
    }

    /** A checkpoint read back: the network with its updater state, and the training state. */
    record Saved(ModelBundle bundle, TrainingState state) {
    }

    void writeEpoch(MultiLayerNetwork network, ModelSpec spec, Preparation prep, TrainingState state) {
        run.writeBundle(epochName(state.epochsDone()), bundle(network, spec, prep, state));
        if (state.epochsDone() > 1) {
            run.delete(epochName(state.epochsDone() - 1));
        }
    }

    void writeBest(MultiLayerNetwork network, ModelSpec spec, Preparation prep, TrainingState state) {
        run.writeBundle(BEST, bundle(network, spec, prep, state));
    }

    /** The newest complete epoch checkpoint, if any. */
    Optional<Saved> latest() {
        Path dir = new Path(run.path(), RunDirectory.CHECKPOINTS);
        try {
            FileSystem fs = dir.getFileSystem(conf);
            int newest = 0;
            for (FileStatus status : fs.listStatus(dir)) {
                Matcher m = EPOCH.matcher(status.getPath().getName());
                if (status.isDirectory() && m.matches()
                        && fs.exists(new Path(status.getPath(), ModelBundle.INFO_FILE))) {
                    newest = Math.max(newest, Integer.parseInt(m.group(1)));
                }
            }
            return newest == 0 ? Optional.empty() : Optional.of(read(epochName(newest)));
        } catch (FileNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the checkpoints in " + dir + ": " + e.getMessage(), e);
        }
    }

    Optional<Saved> best() {
        Path dir = new Path(run.path(), BEST);
        try {
            return dir.getFileSystem(conf).exists(new Path(dir, ModelBundle.INFO_FILE))
                    ? Optional.of(read(BEST)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
        }
    }

    private Saved read(String name) {
        Path dir = new Path(run.path(), name);
        try {
            ModelBundle bundle = ModelBundle.readFrom(RunDirectory.store(dir, conf));
            return new Saved(bundle, TrainingState.fromMap(bundle.info().training()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint " + dir + ": " + e.getMessage(), e);
        }
    }

    private static ModelBundle bundle(MultiLayerNetwork network, ModelSpec spec, Preparation prep, TrainingState state) {
        BundleInfo info = new BundleInfo(BundleInfo.FORMAT_VERSION, spec, prep, Map.of(), state.toMap(),
                Provenance.current(BuildInfo.version(), Map.of(), Map.of()));
        return new ModelBundle(network, info);
    }

    private static String epochName(int epoch) {
        return String.format(Locale.ROOT, "%s/epoch-%04d", RunDirectory.CHECKPOINTS, epoch);
    }
}
