package io.sparklstm.jobs.train;

import io.sparklstm.prep.InputDataException;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.nd4j.common.loader.Source;
import org.nd4j.linalg.dataset.DataSet;

import java.io.BufferedInputStream;
import java.io.InputStream;

/** dl4j-spark's loader of minibatch files, with failures that name the file and count as input errors. */
public final class MinibatchLoader implements DataSetLoader {

    @Override
    public DataSet load(Source source) {
        DataSet ds = new DataSet();
        try (InputStream in = new BufferedInputStream(source.getInputStream())) {
            ds.load(in);
        } catch (Exception | Error e) {
            throw new InputDataException(source.getPath() + ": cannot read the minibatch file (missing, truncated "
                    + "or corrupt): " + e, e);
        }
        return ds;
    }
}
