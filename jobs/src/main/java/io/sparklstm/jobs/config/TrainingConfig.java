package io.sparklstm.jobs.config;

import io.sparklstm.model.InvalidSetting;

import java.io.Serializable;
import java.util.Locale;

/**
 * How training runs on the cluster: parameter averaging settings and the epoch loop. Nothing here is part
 * of the model; it is not stored as the model's hyperparameters.
 *
 * @param epochs                passes over the training split
 * @param batchSizePerWorker    examples per fit on a worker; 0: the dataset's minibatch size
 * @param averagingFrequency    minibatches fitted between averagings
 * @param workerPrefetchBatches minibatch files each worker loads ahead
 * @param saveUpdater           average updater state too
 * @param workers               parallel workers; 0: Spark's default parallelism
 * @param repartition           dl4j-spark repartitioning: ALWAYS, NEVER, NUM_PARTITIONS_WORKERS_DIFFERS
 * @param collectTrainingStats  dl4j-spark's timing statistics
 * @param evalBatchSize         minibatch size of distributed evaluation
 * @param keepBest              keep the parameters of the best validation epoch
 * @param patience              epochs without improvement before stopping; 0: no early stopping
 * @param minDelta              improvement an epoch must exceed to count
 * @param metric                validation metric for best epoch and early stopping; empty: the task's default
 * @param progress              the live progress line on the terminal: AUTO (when there is a console), ALWAYS, NEVER
 * @param shrinkToNaive         forecasting: scale each target's output toward the naive forecast after training
 * @param averageLastEpochs     the final parameters are the mean of those after each of the last this many epochs
 *                              (ending at the best epoch with keepBest); 1: the epoch's own parameters
 */
public record TrainingConfig(int epochs, int batchSizePerWorker, int averagingFrequency, int workerPrefetchBatches,
                             boolean saveUpdater, int workers, String repartition, boolean collectTrainingStats,
                             int evalBatchSize, boolean keepBest, int patience, double minDelta, String metric,
                             String progress, boolean shrinkToNaive, int averageLastEpochs)
        implements Serializable {

    /** Validation metrics an epoch can be judged by. */
    public static final java.util.List<String> METRICS = java.util.List.of("loss", "accuracy", "f1", "mse", "mae", "rmse");

    public TrainingConfig {
        require(epochs >= 1, "training.epochs", epochs, "a positive integer");
        require(batchSizePerWorker >= 0, "training.batchSizePerWorker", batchSizePerWorker, ">= 0");
        require(averagingFrequency >= 1, "training.averagingFrequency", averagingFrequency, "a positive integer");
        require(workerPrefetchBatches >= 0, "training.workerPrefetchBatches", workerPrefetchBatches, ">= 0");
        require(workers >= 0, "training.workers", workers, ">= 0");
        require(evalBatchSize >= 1, "training.evalBatchSize", evalBatchSize, "a positive integer");
        require(patience >= 0, "training.earlyStopping.patience", patience, ">= 0");
        require(averageLastEpochs >= 1, "training.averageLastEpochs", averageLastEpochs,
                "a positive integer (1: no averaging)");
        require(minDelta >= 0, "training.earlyStopping.minDelta", minDelta, ">= 0");
        metric = metric == null ? "" : metric.trim();
        require(metric.isEmpty() || METRICS.contains(metric), "training.earlyStopping.metric", metric,
                "empty or one of " + METRICS);
        repartition = repartition.toUpperCase(Locale.ROOT);
        require(repartition.equals("ALWAYS") || repartition.equals("NEVER")
                        || repartition.equals("NUM_PARTITIONS_WORKERS_DIFFERS"),
                "training.repartition", repartition, "always, never or num_partitions_workers_differs");
        progress = progress.toUpperCase(Locale.ROOT);
        require(progress.equals("AUTO") || progress.equals("ALWAYS") || progress.equals("NEVER"),
                "training.progress", progress.toLowerCase(Locale.ROOT), "auto, always or never");
    }

    private static void require(boolean ok, String key, Object value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException(InvalidSetting.message(key, value, expected));
        }
    }
}
