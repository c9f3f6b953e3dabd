package io.sparklstm.jobs.evaluate;

import io.sparklstm.model.Ensemble;
import io.sparklstm.model.Task;
import io.sparklstm.model.data.NaiveForecasts;
import io.sparklstm.model.data.Preparation;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The metrics of a model on splits of a prepared dataset, as summaries and evaluations report them: for a
 * forecasting model, beside its own errors, the naive forecasts' errors on the same windows, its skill over
 * them and its MASE (scaled by the in-sample naive error of the training split's windows).
 */
public final class SplitMetrics {

    private SplitMetrics() {
    }

    /** As {@link #of(JavaSparkContext, MultiLayerNetwork, Preparation, Map, List, int)}, one file at a time. */
    public static Map<String, Metrics> of(JavaSparkContext sc, MultiLayerNetwork network,
                                                      Preparation prep, Map<String, List<String>> splits,
                                                      List<String> trainFiles) {
        return of(sc, network, prep, splits, trainFiles, 1);
    }

    /**
     * The metrics by split name, in the order of {@code splits} (the names are the caller's: a map).
     *
     * @param splits        the minibatch files of each split to score, in the order the result lists them
     * @param trainFiles    the training split's files, which scale MASE (forecasts only)
     * @param filesPerBatch files scored together ({@link DistributedEvaluator#filesPerBatch})
     */
    public static Map<String, Metrics> of(JavaSparkContext sc, MultiLayerNetwork network,
                                                      Preparation prep, Map<String, List<String>> splits,
                                                      List<String> trainFiles, int filesPerBatch) {
        return of(sc, Ensemble.of(network), prep, splits, trainFiles, filesPerBatch);
    }

    /** As {@link #of(JavaSparkContext, MultiLayerNetwork, Preparation, Map, List, int)}, for the members' mean. */
    public static Map<String, Metrics> of(JavaSparkContext sc, Ensemble network, Preparation prep,
                                          Map<String, List<String>> splits, List<String> trainFiles,
                                          int filesPerBatch) {
        Optional<double[]> scale = prep.task() == Task.FORECAST && prep.normalizer() != null
                ? Optional.of(DistributedEvaluator.naiveScale(sc, trainFiles, NaiveForecasts.of(prep)))
                : Optional.empty();
        Map<String, Metrics> out = new LinkedHashMap<>();
        splits.forEach((split, files) -> out.put(split,
                Metrics.of(DistributedEvaluator.evaluate(sc, network, files, prep, filesPerBatch), prep, scale)));
        return out;
    }
}
