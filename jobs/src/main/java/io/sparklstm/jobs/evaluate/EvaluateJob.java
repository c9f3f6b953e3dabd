package io.sparklstm.jobs.evaluate;

import io.sparklstm.model.bundle.ModelBundle;
import io.sparklstm.model.data.DatasetManifest;
import io.sparklstm.model.data.Preparation;
import io.sparklstm.prep.job.PrepareJob;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code evaluate}: scores a model bundle on splits of a prepared dataset, on the executors. */
public final class EvaluateJob {

    private EvaluateJob() {
    }

    /** Metrics of each requested split, in order, scored in batches of about {@code evalBatchSize} examples. */
    public static Map<String, Metrics> run(JavaSparkContext sc, ModelBundle bundle, String dataDir,
                                                       List<String> splits, int evalBatchSize) {
        DatasetManifest manifest = PrepareJob.readManifest(dataDir, sc.hadoopConfiguration());
        Preparation prep = bundle.info().preparation();
        PreparationMatch.require(prep, manifest, dataDir);
        Map<String, List<String>> files = new LinkedHashMap<>();
        for (String split : splits) files.put(split, files(manifest, split, dataDir));
        return SplitMetrics.of(sc, bundle.ensemble(), prep, files, files(manifest, "train", dataDir),
                DistributedEvaluator.filesPerBatch(evalBatchSize, manifest.minibatchSize()));
    }

    private static List<String> files(DatasetManifest manifest, String split, String dataDir) {
        return manifest.split(split).files().stream().map(f -> new Path(dataDir, f).toString()).toList();
    }
}
