package io.sparklstm.jobs.train;

import io.sparklstm.jobs.evaluate.MinibatchFiles;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.nd4j.common.loader.Source;
import org.nd4j.linalg.dataset.DataSet;

/** dl4j-spark's loader of minibatch files, with failures that name the file and count as input errors. */
public final class MinibatchLoader implements DataSetLoader {

    @Override
    public DataSet load(Source source) {
        return MinibatchFiles.read(source.getPath(), source::getInputStream);
    }
}
