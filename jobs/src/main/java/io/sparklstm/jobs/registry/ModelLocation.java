package io.sparklstm.jobs.registry;

import io.sparklstm.jobs.train.RunDirectory;
import io.sparklstm.model.bundle.ModelBundle;
import io.sparklstm.prep.io.InputDataException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.IOException;

/**
 * Where a command's {@code --model} points: a bundle directory, a training run (its {@code model/}), or a model of a
 * registry ({@code <registry>/<name>}: the version its {@code CURRENT} names). It lives here, above training and
 * evaluation, because it knows all three layouts; evaluation only scores the bundle it is given.
 */
public final class ModelLocation {

    private ModelLocation() {
    }

    /** The bundle at {@code location}; an input-data error (exit 3) that names the location when there is none. */
    public static ModelBundle loadBundle(String location, Configuration conf) {
        Path path = new Path(location);
        try {
            if (path.getFileSystem(conf).exists(new Path(path, ModelRegistry.CURRENT))) {
                var registry = new ModelRegistry(path.getParent().toString(), path.getName(), conf);
                path = registry.versionPath(registry.current().orElseThrow());
            }
            return ModelBundle.readFrom(RunDirectory.store(RunDirectory.bundleDirectory(path, conf), conf));
        } catch (IOException e) {
            throw new InputDataException("--model " + location + ": not a model bundle or a training run ("
                    + e.getMessage() + ")", e);
        }
    }
}
