package io.sparklstm.jobs.config;

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
 * @param reuseWorkerNetworks   executors keep their networks between averaging rounds and only load the round's
 *                              parameters and updater state; false: dl4j-spark rebuilds them every round
 * @param averageLastEpochs     the final parameters are the mean of those after each of the last this many epochs
 *                              (ending at the best epoch with keepBest); 1: the epoch's own parameters
 * @param averagingSeconds      the averaging period in seconds of workers' fitting, each round sized from measured
 *                              fit times ({@code AveragingPeriod}); 0: averagingFrequency minibatches every round
 * @param roundsPerJob          averaging rounds per Spark job: 1, one job per round; more, the workers run them as one
 *                              barrier stage and exchange parameters with the driver between rounds
 * @param exchangePort          the driver's port for that exchange; 0: any free port
 */
public record TrainingConfig(int epochs, int batchSizePerWorker, int averagingFrequency, int workerPrefetchBatches,
                             boolean saveUpdater, int workers, String repartition, boolean collectTrainingStats,
                             int evalBatchSize, boolean keepBest, int patience, double minDelta, String metric,
                             String progress, boolean shrinkToNaive, boolean reuseWorkerNetworks,
                             int averageLastEpochs, double averagingSeconds, int roundsPerJob, int exchangePort)
        implements Serializable {

    /** Validation metrics an epoch can be judged by. */
    public static final java.util.List<String> METRICS = TrainingKeys.METRICS;

    /** Whether several averaging rounds run in one Spark job (training.roundsPerJob above 1). */
    public boolean roundsInOneJob() {
        return roundsPerJob > 1;
    }

    /**
     * Whether dl4j-spark's timing statistics are collected: asked for, and rounds run one per job (dl4j-spark's
     * master and worker record them; a job of rounds has its own round times instead).
     */
    public boolean dl4jStatistics() {
        return collectTrainingStats && !roundsInOneJob();
    }

    /** Whether the averaging period is set in time (training.averagingSeconds above 0). */
    public boolean timedAveraging() {
        return averagingSeconds > 0;
    }

    public TrainingConfig {
        TrainingKeys.EPOCHS.check(epochs);
        TrainingKeys.BATCH_SIZE_PER_WORKER.check(batchSizePerWorker);
        TrainingKeys.AVERAGING_FREQUENCY.check(averagingFrequency);
        TrainingKeys.WORKER_PREFETCH_BATCHES.check(workerPrefetchBatches);
        TrainingKeys.WORKERS.check(workers);
        TrainingKeys.EVAL_BATCH_SIZE.check(evalBatchSize);
        TrainingKeys.PATIENCE.check(patience);
        TrainingKeys.MIN_DELTA.check(minDelta);
        metric = TrainingKeys.METRIC.check(metric == null ? "" : metric.trim());
        repartition = TrainingKeys.REPARTITION.check(repartition.toUpperCase(Locale.ROOT));
        TrainingKeys.AVERAGE_LAST_EPOCHS.check(averageLastEpochs);
        TrainingKeys.AVERAGING_SECONDS.check(averagingSeconds);
        TrainingKeys.ROUNDS_PER_JOB.check(roundsPerJob);
        TrainingKeys.EXCHANGE_PORT.check(exchangePort);
        if (roundsPerJob > 1) {
            java.util.List<String> problems = new java.util.ArrayList<>();
            String why = " with training.roundsPerJob = " + roundsPerJob + " (rounds inside one job";
            if (!reuseWorkerNetworks) {
                problems.add("training.reuseWorkerNetworks = false is invalid" + why
                        + " run on the workers that keep their networks); set it to true or training.roundsPerJob = 1");
            }
            if (averagingSeconds > 0) {
                problems.add("training.averagingSeconds = " + averagingSeconds + " is invalid" + why
                        + " are planned before the job starts, not sized one by one); set one of them back");
            }
            if (!problems.isEmpty()) throw new ConfigException(problems);
        }
        progress = progress.toUpperCase(Locale.ROOT);
        // the message shows the value in lower case, as a configuration has it
        TrainingKeys.PROGRESS.check(progress.toLowerCase(Locale.ROOT));
    }
}
