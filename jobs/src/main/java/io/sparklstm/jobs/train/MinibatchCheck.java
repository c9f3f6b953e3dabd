package io.sparklstm.jobs.train;

import io.sparklstm.jobs.evaluate.MinibatchFiles;
import io.sparklstm.model.data.DatasetManifest;
import io.sparklstm.prep.io.HadoopConf;
import io.sparklstm.prep.io.InputDataException;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.dataset.DataSet;

import java.util.List;

/**
 * Reads every minibatch file of a split once, on the executors, before training starts: a missing,
 * truncated or corrupt file, or one whose shape disagrees with the manifest, fails the run with the file's
 * name, instead of failing (or, in dl4j-spark's prefetching iterator, hanging) mid-training. It also counts
 * each file's examples, which the averaging rounds are planned from.
 */
public final class MinibatchCheck {

    private MinibatchCheck() {
    }

    /** The examples of each file, in the order of {@code files}. */
    public static List<Integer> check(JavaSparkContext sc, DatasetManifest manifest, List<String> files) {
        if (files.isEmpty()) return List.of();
        HadoopConf hadoop = new HadoopConf(sc.hadoopConfiguration());
        int channels = manifest.featureNames().size();
        int outputs = manifest.outputSize();
        int maxSteps = manifest.windowSteps();
        // per-step labels are [batch, classes, steps] like the features; others [batch, outputs]
        int labelRank = manifest.task().perStep() ? 3 : 2;
        int slices = Math.max(1, Math.min(files.size(), sc.defaultParallelism() * 4));
        return sc.parallelize(files, slices).map(file -> {
            DataSet ds = MinibatchFiles.load(file, hadoop);
            long[] f = ds.getFeatures().shape();
            long[] l = ds.getLabels().shape();
            if (f.length != 3 || f[1] != channels || f[2] > maxSteps || l.length != labelRank || l[1] != outputs
                    || l[0] != f[0] || (labelRank == 3 && l[2] != f[2])) {
                throw new InputDataException(file + ": minibatch of shape features " + java.util.Arrays.toString(f)
                        + ", labels " + java.util.Arrays.toString(l) + " does not match the manifest ("
                        + channels + " channels, up to " + maxSteps + " steps, " + outputs + " outputs)");
            }
            return (int) f[0];
        }).collect();
    }
}
