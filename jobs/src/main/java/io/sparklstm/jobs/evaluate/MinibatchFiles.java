package io.sparklstm.jobs.evaluate;

import io.sparklstm.prep.io.HadoopConf;
import io.sparklstm.prep.io.InputDataException;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.dataset.DataSet;

import java.io.BufferedInputStream;
import java.io.InputStream;

/** Loads one minibatch file; a missing, truncated or corrupt file is an input error naming it. */
public final class MinibatchFiles {

    private MinibatchFiles() {
    }

    public static DataSet load(String file, HadoopConf conf) {
        Path path = new Path(file);
        return read(file, () -> path.getFileSystem(conf.get()).open(path));
    }

    /** Opens a stream on a minibatch file. */
    public interface Opener {
        InputStream open() throws Exception;
    }

    /** Reads the minibatch file {@code name} from the stream {@code opener} gives, failing with its name. */
    public static DataSet read(String name, Opener opener) {
        DataSet ds = new DataSet();
        try (InputStream in = new BufferedInputStream(opener.open())) {
            ds.load(in);
        } catch (Exception | Error e) {
            throw new InputDataException(name + ": cannot read the minibatch file (missing, truncated or corrupt): "
                    + e, e);
        }
        if (ds.getFeatures() == null || ds.getLabels() == null) {
            throw new InputDataException(name + ": the minibatch file has no features or no labels");
        }
        return ds;
    }
}
