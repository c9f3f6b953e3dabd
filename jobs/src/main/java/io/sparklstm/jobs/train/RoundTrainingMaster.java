package io.sparklstm.jobs.train;

import io.sparklstm.jobs.config.ConfigException;
import io.sparklstm.jobs.spark.Causes;
import io.sparklstm.prep.io.InputDataException;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaRDDLike;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.util.CollectionAccumulator;
import org.datavec.spark.util.BroadcastHadoopConfigHolder;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.core.loader.MultiDataSetLoader;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.WorkerConfiguration;
import org.deeplearning4j.spark.api.worker.ExecuteWorkerPathFlatMap;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;
import org.deeplearning4j.spark.impl.paramavg.aggregator.ParameterAveragingAggregationTuple;
import org.deeplearning4j.spark.impl.paramavg.aggregator.ParameterAveragingElementAddFunction;
import org.deeplearning4j.spark.impl.paramavg.aggregator.ParameterAveragingElementCombineFunction;
import org.deeplearning4j.spark.util.SparkUtils;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;

/**
 * dl4j-spark's parameter-averaging master with less to do per averaging round; the algorithm and its numbers are
 * dl4j-spark's.
 *
 * <ul>
 * <li>Told how many minibatch files the next {@code fitPaths} call hands it: dl4j-spark counts them with a Spark
 * job of its own before every round, although the driver made the list ({@link TrainJob#fitEpoch}); that job took
 * 25-110 ms per round on a 2-core machine, against 300-400 ms of fitting at 128 units. Where no count was given,
 * it counts as before.</li>
 * <li>With {@code reuseWorkerNetworks}, each executor keeps its networks between rounds ({@link
 * PooledTrainingWorker}, {@link WorkerNetworks}): a round broadcasts the parameters, updater state and counters
 * only, and the configuration's JSON once per configuration (a new learning rate makes a new one), instead of
 * every worker rebuilding its network from the configuration every round. The round's broadcast is destroyed
 * when the round ends (dl4j-spark leaves it to Spark's cleaner); its results are never stored as blocks.</li>
 * <li>Each round's times ({@link RoundTimes}), kept for the last {@value #KEPT_ROUNDS} rounds.</li>
 * <li>With training.averagingSeconds, each round's size set before it runs ({@link #nextRoundFits}).</li>
 * <li>With training.roundsPerJob above 1, several rounds in one Spark job ({@link #fitJob}): the workers run as one
 * barrier stage and exchange parameters with the driver between rounds ({@link RoundExchange}), which takes
 * Spark's scheduling, broadcast, task and result handling out of every round but the job's first.</li>
 * </ul>
 */
public final class RoundTrainingMaster extends ParameterAveragingTrainingMaster {

    private static final long serialVersionUID = 2L;
    private static final Logger LOG = LoggerFactory.getLogger(RoundTrainingMaster.class);
    static final int KEPT_ROUNDS = 10_000;
    /** The counters in a configuration's JSON, which change every round without changing the network. */
    private static final Pattern COUNTERS = Pattern.compile("\"(iterationCount|epochCount)\"\\s*:\\s*-?\\d+");

    private final boolean reuseNetworks;
    private final int roundsPerJob;
    private final int exchangePort;
    private final String runId = UUID.randomUUID().toString();

    private Long nextCount;
    private transient String configShape;
    private transient int generation;
    private transient Broadcast<String> configBroadcast;
    private transient Broadcast<RoundStart> roundBroadcast;
    private transient CollectionAccumulator<WorkerTime> workerTimes;
    private transient long broadcastNanos;
    private transient Deque<RoundTimes> rounds;

    RoundTrainingMaster(Builder builder, boolean reuseNetworks, int roundsPerJob, int exchangePort) {
        super(builder);
        this.reuseNetworks = reuseNetworks;
        this.roundsPerJob = roundsPerJob;
        this.exchangePort = exchangePort;
    }

    /** Averaging rounds per Spark job (training.roundsPerJob): 1, dl4j-spark's job per round. */
    int roundsPerJob() {
        return roundsPerJob;
    }

    /** The number of paths in the RDD of the next {@code fitPaths} call. */
    void nextRoundHas(long paths) {
        nextCount = paths;
    }

    /**
     * The most minibatches each worker fits in the next rounds (training.averagingSeconds sizes each round):
     * dl4j-spark's averagingFrequency, which its worker stops at, its master caps a round's paths with, and the
     * driver adds to the iteration count after the round. Never called with a fixed averagingFrequency.
     */
    void nextRoundFits(int minibatchesPerWorker) {
        if (minibatchesPerWorker < 1) throw new IllegalArgumentException("a round of " + minibatchesPerWorker);
        averagingFrequency = minibatchesPerWorker;
    }

    /** The last round's times, if any round ran (kept until {@link #takeRoundTimes}). */
    synchronized Optional<RoundTimes> lastRound() {
        return rounds == null || rounds.isEmpty() ? Optional.empty()
                : Optional.of(rounds.getLast());
    }

    @Override
    protected <T, R extends JavaRDDLike<T, R>> long getTotalDataSetObjectCount(JavaRDDLike<T, R> data) {
        Long known = nextCount;
        nextCount = null;
        return known != null ? known : super.getTotalDataSetObjectCount(data);
    }

    /** The times of the rounds since the last call (at most the last {@value #KEPT_ROUNDS}), oldest first. */
    public synchronized List<RoundTimes> takeRoundTimes() {
        List<RoundTimes> taken = rounds == null ? List.of() : new ArrayList<>(rounds);
        if (rounds != null) rounds.clear();
        return taken;
    }

    /** Whether rounds run with pooled workers: asked for, and no DL4J listeners, whose set-up they skip. */
    boolean pooled() {
        return reuseNetworks && (listeners == null || listeners.isEmpty()) && statsStorage == null;
    }

    @Override
    public ParameterAveragingTrainingWorker getWorkerInstance(SparkDl4jMultiLayer network) {
        long t0 = System.nanoTime();
        try {
            return pooled() ? pooledWorker(network) : super.getWorkerInstance(network);
        } finally {
            broadcastNanos += System.nanoTime() - t0;
        }
    }

    private ParameterAveragingTrainingWorker pooledWorker(SparkDl4jMultiLayer sparkNet) {
        if (collectTrainingStats) stats.logBroadcastStart();
        broadcastRound(sparkNet);
        if (collectTrainingStats) stats.logBroadcastEnd();
        WorkerConfiguration worker = new WorkerConfiguration(false, rddDataSetNumExamples, batchSizePerWorker,
                averagingFrequency, prefetchNumBatches, collectTrainingStats);
        return new PooledTrainingWorker(configBroadcast, roundBroadcast, saveUpdater, worker, trainingHookList,
                workerTimes(sparkNet.getSparkContext()));
    }

    /**
     * Broadcasts what the next round (or job of rounds) starts from: the configuration's JSON where it changed
     * (a new generation of pooled networks), and the parameters, updater state and counters.
     */
    private void broadcastRound(SparkDl4jMultiLayer sparkNet) {
        JavaSparkContext sc = sparkNet.getSparkContext();
        MultiLayerNetwork network = sparkNet.getNetwork();
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
        String json = conf.toJson();
        String shape = COUNTERS.matcher(json).replaceAll("\"$1\":0");
        if (!shape.equals(configShape)) {
            if (configBroadcast != null) configBroadcast.destroy();
            configBroadcast = sc.broadcast(json);
            configShape = shape;
            generation++;
        }
        // the driver's own arrays, as dl4j-spark broadcasts them: it changes them only after the round's job ended
        roundBroadcast = sc.broadcast(RoundStart.of(runId + "/" + generation, network));
    }

    /**
     * Fits {@code rounds} (planned by {@link AveragingRounds}, each worker's share at its index) in one Spark job:
     * a barrier stage of one task per worker ({@link JobRoundsTask}) that averages through a {@link RoundExchange}
     * after each round, so that the driver's network ends where one job per round would have left it (the same
     * averages, counters and score). {@code roundDone} hears of each round as the exchange completes it (1 for
     * the job's first). Each round's times are kept as with one job per round.
     */
    void fitJob(SparkDl4jMultiLayer sparkNet, List<AveragingRounds.Round> rounds, DataSetLoader loader,
                IntConsumer roundDone) {
        if (!pooled()) {
            throw new IllegalStateException("training.roundsPerJob > 1 runs pooled workers only (no DL4J listeners)");
        }
        if (rounds.isEmpty()) return;
        JavaSparkContext sc = sparkNet.getSparkContext();
        SparkConf sparkConf = sc.getConf();
        if (sparkConf.getBoolean("spark.dynamicAllocation.enabled", false)) {
            throw new ConfigException("training.roundsPerJob = " + roundsPerJob + " is invalid with "
                    + "spark.dynamicAllocation.enabled = true: a job of rounds runs as a Spark barrier stage, which "
                    + "needs every worker's slot at once; set training.roundsPerJob = 1 or turn dynamic allocation "
                    + "off");
        }
        int workers = Math.max(numWorkers, rounds.stream().mapToInt(r -> r.workers().size()).max().orElse(1));
        List<String[][]> plans = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            String[][] plan = new String[rounds.size()][];
            for (int r = 0; r < rounds.size(); r++) {
                List<List<String>> shares = rounds.get(r).workerPaths();
                plan[r] = w < shares.size() ? shares.get(w).toArray(new String[0]) : new String[0];
            }
            plans.add(plan);
        }
        MultiLayerNetwork network = sparkNet.getNetwork();
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
        long t0 = System.nanoTime();
        broadcastRound(sparkNet);
        double broadcastMs = (System.nanoTime() - t0) / 1e6;
        String host = sparkConf.get("spark.driver.host", "localhost");
        String bind = sparkConf.get("spark.driver.bindAddress", host); // as Spark binds the driver's own port
        // a barrier result stage is never retried by Spark: the job is, as often as Spark tries a task
        int attempts = sparkConf.getInt("spark.task.maxFailures", sc.isLocal() ? 1 : 4);
        int[] heard = {0};
        try {
            for (int attempt = 1; ; attempt++) {
                try (RoundExchange exchange = RoundExchange.open(bind, exchangePort, host, workers, rounds.size(),
                        averagingFrequency, conf.getIterationCount(), conf.getEpochCount(), broadcastMs)) {
                    Optional<List<RoundExchange.Completed>> completed = runJob(sc, exchange, plans, loader,
                            roundDone, heard, attempt < attempts);
                    if (completed.isPresent()) {
                        apply(sparkNet, completed.get());
                        LOG.debug("a job of {} averaging rounds: {} ms, its rounds {} ms", rounds.size(),
                                (System.nanoTime() - t0) / 1e6,
                                completed.get().stream().mapToDouble(c -> c.times().roundMs()).sum());
                        return;
                    }
                    LOG.warn("a job of {} averaging rounds failed (attempt {} of {}): {}; running it again",
                            rounds.size(), attempt, attempts, exchange.failure().orElse("a task failed"));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a job of averaging rounds ran", e);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("the driver's averaging exchange: " + e.getMessage(), e);
        } finally {
            roundBroadcast.destroy();
            roundBroadcast = null;
        }
    }

    /**
     * One Spark job of the rounds; their outcomes, or empty where it failed and {@code mayRetry}. Where it failed
     * otherwise, the exception a worker reported as the cause (Spark's own failure added to it), or Spark's.
     */
    private Optional<List<RoundExchange.Completed>> runJob(JavaSparkContext sc, RoundExchange exchange,
                                                           List<String[][]> plans, DataSetLoader loader,
                                                           IntConsumer roundDone, int[] heard, boolean mayRetry)
            throws InterruptedException {
        JobRoundsTask task = new JobRoundsTask(configBroadcast, roundBroadcast, exchange, batchSizePerWorker,
                prefetchNumBatches, saveUpdater, trainingHookList == null ? List.of()
                : new ArrayList<>(trainingHookList), loader, BroadcastHadoopConfigHolder.get(sc));
        ClassTag<Integer> tag = ClassTag$.MODULE$.apply(Integer.class);
        RDD<Integer> job = sc.parallelize(plans, plans.size()).rdd().barrier().mapPartitions(task, false, tag);
        JavaFutureAction<Long> running = JavaRDD.fromRDD(job, tag).countAsync();
        int rounds = plans.get(0).length;
        // until the last round is heard of (then the job is about to end: wait for it, not for the next poll)
        while (!running.isDone() && heard[0] < rounds) relay(exchange, 10, heard, roundDone);
        try {
            running.get();
        } catch (ExecutionException e) {
            Throwable spark = e.getCause() == null ? e : e.getCause();
            Optional<Throwable> cause = exchange.workerFailure();
            if (mayRetry && !(cause.isPresent() && repeats(cause.get()))) return Optional.empty();
            if (cause.isPresent()) {
                cause.get().addSuppressed(spark);
                throw sneaky(cause.get());
            }
            throw sneaky(spark);
        }
        List<RoundExchange.Completed> completed = exchange.rounds();
        relay(exchange, 0, heard, roundDone); // every completed round is queued too: all heard of after this
        if (completed.size() != rounds) {
            throw new IllegalStateException("the job of " + rounds + " averaging rounds ended after "
                    + completed.size() + exchange.failure().map(f -> ": " + f).orElse(""));
        }
        return Optional.of(completed);
    }

    /** Whether a worker's failure would fail again: bad input data or a bad setting, anywhere in its causes. */
    private static boolean repeats(Throwable failure) {
        return Causes.of(failure).anyMatch(c -> c instanceof InputDataException || c instanceof ConfigException);
    }

    /**
     * Tells {@code roundDone} of the rounds completed since, each once: {@code heard[0]}, the rounds told so far,
     * holds across the job's attempts (a new attempt completes its rounds again).
     */
    private static void relay(RoundExchange exchange, long waitMs, int[] heard, IntConsumer roundDone)
            throws InterruptedException {
        Optional<RoundExchange.Completed> next = exchange.nextCompleted(waitMs);
        while (next.isPresent()) {
            if (next.get().round() + 1 > heard[0]) roundDone.accept(++heard[0]);
            next = exchange.nextCompleted(0);
        }
    }

    /** The job's last average into the driver's network, and the counters as one job per round leaves them. */
    private void apply(SparkDl4jMultiLayer sparkNet, List<RoundExchange.Completed> completed) {
        RoundExchange.Average last = completed.get(completed.size() - 1).average();
        MultiLayerNetwork network = sparkNet.getNetwork();
        long t0 = System.nanoTime();
        Optional<RoundExchange.Average> averaged = completed.stream().map(RoundExchange.Completed::average)
                .filter(RoundExchange.Average::averaged).reduce((a, b) -> b);
        if (averaged.isEmpty()) {
            LOG.info("a job of averaging rounds without data on any worker: nothing to average");
        } else {
            RoundExchange.Average a = averaged.get();
            network.setParameters(a.parameters().toArray(network.params()));
            if (a.updaterState() != null) {
                INDArray state = network.getUpdater().getStateViewArray();
                network.getUpdater().setStateViewArray(null, a.updaterState().toArray(state), false);
            }
            sparkNet.setScore(a.score());
        }
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
        conf.setIterationCount(last.iterationCount());
        // dl4j-spark's fitPaths counts an epoch per round
        for (int i = 0; i < completed.size(); i++) network.incrementEpochCount();
        Nd4j.getExecutioner().commit();
        double applyMs = (System.nanoTime() - t0) / 1e6;
        for (int i = 0; i < completed.size(); i++) {
            RoundTimes t = completed.get(i).times();
            keep(i < completed.size() - 1 ? t : new RoundTimes(t.broadcastMs(), t.jobMs(), t.applyMs() + applyMs,
                    t.roundMs() + applyMs, t.workers(), t.minibatchesPerWorker()));
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable e) throws E {
        throw (E) e;
    }

    private CollectionAccumulator<WorkerTime> workerTimes(JavaSparkContext sc) {
        if (workerTimes == null) workerTimes = sc.sc().collectionAccumulator("worker round times");
        return workerTimes;
    }

    @Override
    protected void doIterationPaths(SparkDl4jMultiLayer network, SparkComputationGraph graph, JavaRDD<String> split,
                                    int splitNum, int numSplits, int examples, DataSetLoader dsLoader,
                                    MultiDataSetLoader mdsLoader) {
        long t0 = System.nanoTime();
        broadcastNanos = 0;
        if (!pooled() || network == null || dsLoader == null) {
            super.doIterationPaths(network, graph, split, splitNum, numSplits, examples, dsLoader, mdsLoader);
            double ms = (System.nanoTime() - t0) / 1e6;
            keep(new RoundTimes(broadcastNanos / 1e6, Double.NaN, Double.NaN, ms, List.of(), averagingFrequency));
            return;
        }
        if (collectTrainingStats) stats.logMapPartitionsStart();
        if (collectTrainingStats) stats.logRepartitionStart();
        JavaRDD<String> data = SparkUtils.repartition(split, repartition, repartitionStrategy,
                numObjectsEachWorker(examples), numWorkers);
        int partitions = data.partitions().size();
        if (collectTrainingStats && repartition != Repartition.Never) stats.logRepartitionEnd();
        ParameterAveragingTrainingWorker worker = getWorkerInstance(network);
        JavaRDD<ParameterAveragingTrainingResult> results = data.mapPartitions(new ExecuteWorkerPathFlatMap<>(worker,
                dsLoader, BroadcastHadoopConfigHolder.get(network.getSparkContext())));
        // not persisted (dl4j-spark's round does not persist them either): treeAggregate sums each partition's
        // result in the task that fitted it, and a level it adds for many workers reads those sums from the
        // shuffle, so nothing reads the results twice; stored, they cost a block write with a size estimate of
        // every result and a removal after the round (6 ms of an empty round's 22 at 64 units on 2 cores)
        try {
            long t1 = System.nanoTime();
            if (collectTrainingStats) stats.logAggregateStartTime();
            ParameterAveragingAggregationTuple sum = sum(results, aggregationDepth);
            if (collectTrainingStats) stats.logAggregationEndTime();
            long t2 = System.nanoTime();
            apply(network, sum);
            long t3 = System.nanoTime();
            List<WorkerTime> times = new ArrayList<>(workerTimes.value());
            workerTimes.reset();
            keep(new RoundTimes(broadcastNanos / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t3 - t0) / 1e6, times,
                    averagingFrequency));
        } finally {
            roundBroadcast.destroy();
            roundBroadcast = null;
        }
        if (collectTrainingStats) stats.logMapPartitionsEnd(partitions);
    }

    /** The sum of a round's results by dl4j-spark's aggregation functions; null where no worker had data. */
    static ParameterAveragingAggregationTuple sum(JavaRDD<ParameterAveragingTrainingResult> results, int depth) {
        return results.treeAggregate(null, new ParameterAveragingElementAddFunction(),
                new ParameterAveragingElementCombineFunction(), depth);
    }

    /** The average of the workers' parameters, updater state and score into the driver's network. */
    private void apply(SparkDl4jMultiLayer sparkNet, ParameterAveragingAggregationTuple sum) {
        if (collectTrainingStats) stats.logProcessParamsUpdaterStart();
        if (sum == null || sum.getParametersSum() == null) {
            LOG.info("an averaging round without data on any worker: nothing to average");
        } else {
            int n = sum.getAggregationsCount();
            MultiLayerNetwork network = sparkNet.getNetwork();
            network.setParameters(sum.getParametersSum().divi(n));
            INDArray state = sum.getUpdaterStateSum();
            if (state != null) network.getUpdater().setStateViewArray(null, state.divi(n), false);
            sparkNet.setScore(sum.getScoreSum() / n);
            MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
            // as dl4j-spark counts: a round is averagingFrequency iterations, whatever a worker fitted
            conf.setIterationCount(conf.getIterationCount() + averagingFrequency);
        }
        Nd4j.getExecutioner().commit();
        if (collectTrainingStats) {
            stats.logProcessParamsUpdaterEnd();
            if (sum != null) stats.addWorkerStats(sum.getSparkTrainingStats());
        }
    }

    private synchronized void keep(RoundTimes round) {
        if (rounds == null) rounds = new ArrayDeque<>();
        if (rounds.size() == KEPT_ROUNDS) rounds.removeFirst();
        rounds.addLast(round);
    }
}
