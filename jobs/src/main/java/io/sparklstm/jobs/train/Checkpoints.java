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
 * is in place) and {@code best}, the epoch with the best validation metric, written after the epoch's own
 * checkpoint. Each is a model bundle renamed into place whole, so the newest complete epoch is always readable,
 * and with it the best epoch its state records: itself, or {@code best} (see {@link #bestOf}).
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

    /**
     * Checkpoints an epoch, and when it {@code improved} on the best so far, {@code best} after it: a crash
     * before {@code best} is replaced leaves an epoch checkpoint whose state names itself as the best.
     */
    void writeEpoch(MultiLayerNetwork network, ModelSpec spec, Preparation prep, TrainingState state,
                    boolean improved) {
        ModelBundle bundle = bundle(network, spec, prep, state);
        run.writeBundle(epochName(state.epochsDone()), bundle);
        if (state.epochsDone() > 1) {
            run.delete(epochName(state.epochsDone() - 1));
        }
        if (improved) run.writeBundle(BEST, bundle);
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

    /**
     * The best checkpoint, {@code checkpoints/best} (or the old one a replacement cut short left aside), if
     * any.
     */
    Optional<Saved> best() {
        Path dir = new Path(run.path(), BEST);
        Optional<Path> readable = RunDirectory.readable(dir, conf);
        try {
            if (readable.isEmpty()
                    || !dir.getFileSystem(conf).exists(new Path(readable.get(), ModelBundle.INFO_FILE))) {
                return Optional.empty();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
        }
        return Optional.of(read(readable.get()));
    }

    /**
     * The parameters of the best epoch that {@code latest}'s state records: {@code latest} itself when that
     * epoch is its own, else {@code checkpoints/best} when it holds that epoch. Empty when neither does (a
     * crash of a version that replaced {@code best} by deleting it first).
     */
    Optional<Saved> bestOf(Saved latest) {
        int bestEpoch = latest.state().bestEpoch();
        if (bestEpoch == latest.state().epochsDone()) return Optional.of(latest);
        return best().filter(b -> b.state().epochsDone() == bestEpoch);
    }

    private Saved read(String name) {
        return read(new Path(run.path(), name));
    }

    private Saved read(Path dir) {
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
