package io.sparklstm.jobs.config;

import io.sparklstm.model.settings.Section;
import io.sparklstm.model.settings.Setting;
import io.sparklstm.model.settings.Validator;

import java.util.List;
import java.util.Locale;

/**
 * The {@code training} section of the configuration: each key once, with its default, its meaning and its check
 * ({@link TrainingConfig} checks its values with them). Messages show values as they are.
 */
public final class TrainingKeys {

    private TrainingKeys() {
    }

    /** Validation metrics an epoch can be judged by. */
    public static final List<String> METRICS = List.of("loss", "accuracy", "f1", "mse", "mae", "rmse");

    public static final Setting<Integer> EPOCHS = Setting.integer("training.epochs", 10, Validator.positive(), """
            passes over the training split (at most, with early stopping)
            """).shownAsIs();
    public static final Setting<Integer> BATCH_SIZE_PER_WORKER = Setting.integer("training.batchSizePerWorker", 0,
            Validator.nonNegative(), """
            examples per fit on each worker; 0: prepare.minibatchSize (one minibatch file per fit). Any size works: a
            minibatch file of more examples is read in slices of this many, each fitted once per epoch
            """).shownAsIs();
    public static final Setting<Integer> AVERAGING_FREQUENCY = Setting.integer("training.averagingFrequency", 5,
            Validator.positive(), """
            minibatches each worker fits between two parameter averagings (at most; the last round of an epoch may
            give a worker fewer)
            """).shownAsIs();
    public static final Setting<Double> AVERAGING_SECONDS = Setting.number("training.averagingSeconds", 0.0,
            Validator.of(v -> v >= 0 && Double.isFinite(v), "a number of seconds >= 0"), """
            the averaging period in time: each round's minibatches per worker are chosen so that the workers fit for
            about this many seconds, at the fit time per minibatch measured in the last rounds (the first round of a
            run: averagingFrequency), at least 1 and at most what is left of the epoch; every example is still fitted
            once per epoch. Training then depends on the machine's speed. 0: every round is averagingFrequency
            minibatches
            """).shownAsIs();
    public static final Setting<Integer> WORKER_PREFETCH_BATCHES = Setting.integer("training.workerPrefetchBatches",
            0, Validator.nonNegative(), """
            minibatch files each worker loads ahead. 0 by default: DL4J's prefetching iterator hangs instead of
            failing when a file cannot be read (its loader thread dies while the trainer waits on its queue)
            """).shownAsIs();
    public static final Setting<Boolean> SAVE_UPDATER = Setting.bool("training.saveUpdater", true, """
            average the updater (Adam moments) as well as the parameters
            """).shownAsIs();
    public static final Setting<Integer> WORKERS = Setting.integer("training.workers", 0, Validator.nonNegative(), """
            parallel workers; 0: Spark's default parallelism
            """).shownAsIs();
    /** In any case; {@link TrainingConfig} keeps it in upper case, as dl4j-spark names the modes. */
    public static final Setting<String> REPARTITION = Setting.text("training.repartition",
            "num_partitions_workers_differs", anyCase(List.of("always", "never", "num_partitions_workers_differs"),
                    "always, never or num_partitions_workers_differs"), """
            num_partitions_workers_differs or never, the same: train places each averaging round's examples on the
            workers itself, one partition per worker and none beyond averagingFrequency minibatches. "always"
            (dl4j-spark's repartitioning of every round) would move them, so that some go unfitted: refused (exit 2)
            """).shownAsIs();
    public static final Setting<Boolean> COLLECT_TRAINING_STATS = Setting.bool("training.collectTrainingStats", true,
            """
            dl4j-spark's timing statistics (fit, aggregation, broadcast, data loading) and their HTML page
            """).shownAsIs();
    public static final Setting<Boolean> REUSE_WORKER_NETWORKS = Setting.bool("training.reuseWorkerNetworks", true,
            """
            true: executors keep their networks between averaging rounds and load only the round's parameters and
            updater state (the same numbers in, the same out), and measure their own times (bench's worker columns,
            the scaling model); 1.08-1.14x the examples/s of dl4j-spark's worker on an idle 2-core machine
            (docs/benchmarks.md). false: dl4j-spark's worker rebuilds its network every round
            """).shownAsIs();
    public static final Setting<Integer> ROUNDS_PER_JOB = Setting.integer("training.roundsPerJob", 1,
            Validator.positive(), """
            averaging rounds in one Spark job. 1: one job per round, as dl4j-spark runs them. More: the workers run as
            one barrier stage through that many rounds (an epoch at most) and send their parameters and updater state
            to the driver over a connection of their own after each, which returns the average (the same numbers as
            one job per round); that saves Spark's scheduling, broadcast and result handling per round (8-35 ms on 2
            cores), which matters when rounds are short. Needs every worker's task slot at once (barrier mode: no
            dynamic allocation), the executors able to connect to the driver's host on a free port, and
            reuseWorkerNetworks = true; not with averagingSeconds; collectTrainingStats then has no effect (bench gives
            each round's times). A failed task fails the job, which runs again as often as Spark tries
            a task
            """).shownAsIs();
    public static final Setting<Integer> EXCHANGE_PORT = Setting.integer("training.exchangePort", 0,
            Validator.of(v -> v >= 0 && v <= 65535, "a port number from 0 to 65535"), """
            with roundsPerJob above 1: the driver's port that workers send their parameters to (on
            spark.driver.bindAddress, or spark.driver.host), for clusters whose firewalls open fixed ports only, as
            spark.driver.port does for Spark's own. 0: any free port, a new one per job
            """).shownAsIs();
    public static final Setting<Integer> EVAL_BATCH_SIZE = Setting.integer("training.evalBatchSize", 64,
            Validator.positive(), """
            examples distributed evaluation scores in one batch: consecutive minibatch files, as many as fit (at least
            one); the forward pass runs 2-3x more windows per second on batches of 64 than of 16
            """).shownAsIs();
    public static final Setting<Boolean> KEEP_BEST = Setting.bool("training.keepBest", true, """
            keep the parameters of the epoch with the best validation metric rather than the last
            """).shownAsIs();
    /** In any case; {@link TrainingConfig} keeps it in upper case. */
    public static final Setting<String> PROGRESS = Setting.text("training.progress", "auto",
            anyCase(List.of("auto", "always", "never"), "auto, always or never"), """
            a live progress line (epoch, averaging rounds, time left) on stderr: auto (when run in a terminal),
            always or never. A log line per epoch is written either way.
            """).shownAsIs();
    public static final Setting<Integer> PATIENCE = Setting.integer("training.earlyStopping.patience", 0,
            Validator.nonNegative(), """
            stop after this many epochs without improvement of the metric; 0: never stop early
            """).shownAsIs();
    public static final Setting<Double> MIN_DELTA = Setting.number("training.earlyStopping.minDelta", 0.0,
            Validator.atLeastZero(), """
            an epoch improves only when it beats the best by more than this
            """).shownAsIs();
    /** Checked trimmed. */
    public static final Setting<String> METRIC = Setting.text("training.earlyStopping.metric", "",
            Validator.of(m -> m.isEmpty() || METRICS.contains(m), "empty or one of " + METRICS), """
            validation metric that selects the best epoch and stops early: loss, accuracy, f1, mse, mae, rmse;
            empty: the validation loss
            """).shownAsIs();
    public static final Setting<Boolean> SHRINK_TO_NAIVE = Setting.bool("training.shrinkToNaive", true, """
            forecasting: after training, scale each target's output toward zero (the naive forecast its targets are
            measured from, see timeseries.targetOffset) by the factor in [0, 1] with the lowest validation MSE, so that
            only the part of the network's correction that carries over to unseen data is kept (recorded in
            summary.json as training.shrinkToNaive); false: the network's output as trained
            """).shownAsIs();

    public static final Setting<Integer> AVERAGE_LAST_EPOCHS = Setting.integer("training.averageLastEpochs", 1,
            Validator.of(n -> n >= 1, "a positive integer (1: no averaging)"), """
            the final parameters are the mean of the parameters after each of the last this many epochs (with keepBest,
            the epochs up to and including the best one): weight averaging, one network of the same shape, which lands
            nearer the middle of the region the last epochs wander in than any one of them. 1: no averaging. Only the
            epochs trained since a resume are averaged (earlier snapshots are not checkpointed)
            """).shownAsIs();

    public static final Section SECTION = new Section("training", List.of(EPOCHS, BATCH_SIZE_PER_WORKER,
            AVERAGING_FREQUENCY, AVERAGING_SECONDS, WORKER_PREFETCH_BATCHES, SAVE_UPDATER, WORKERS, REPARTITION, COLLECT_TRAINING_STATS,
            REUSE_WORKER_NETWORKS, ROUNDS_PER_JOB, EXCHANGE_PORT, EVAL_BATCH_SIZE, KEEP_BEST, AVERAGE_LAST_EPOCHS, PROGRESS, PATIENCE, MIN_DELTA, METRIC, SHRINK_TO_NAIVE));

    /** One of {@code allowed} (lower case), in any case. */
    private static Validator<String> anyCase(List<String> allowed, String expected) {
        return Validator.of(v -> allowed.contains(v.toLowerCase(Locale.ROOT)), expected);
    }
}
