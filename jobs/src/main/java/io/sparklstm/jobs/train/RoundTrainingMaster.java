package io.sparklstm.jobs.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaRDDLike;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
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

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
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
 * </ul>
 */
public final class RoundTrainingMaster extends ParameterAveragingTrainingMaster {

    private static final long serialVersionUID = 2L;
    private static final Logger LOG = LoggerFactory.getLogger(RoundTrainingMaster.class);
    static final int KEPT_ROUNDS = 10_000;
    /** The counters in a configuration's JSON, which change every round without changing the network. */
    private static final Pattern COUNTERS = Pattern.compile("\"(iterationCount|epochCount)\"\\s*:\\s*-?\\d+");

    private final boolean reuseNetworks;
    private final String runId = UUID.randomUUID().toString();

    private Long nextCount;
    private transient String configShape;
    private transient int generation;
    private transient Broadcast<String> configBroadcast;
    private transient Broadcast<RoundStart> roundBroadcast;
    private transient CollectionAccumulator<WorkerTime> workerTimes;
    private transient long broadcastNanos;
    private transient Deque<RoundTimes> rounds;

    RoundTrainingMaster(Builder builder, boolean reuseNetworks) {
        super(builder);
        this.reuseNetworks = reuseNetworks;
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
        JavaSparkContext sc = sparkNet.getSparkContext();
        MultiLayerNetwork network = sparkNet.getNetwork();
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
        if (collectTrainingStats) stats.logBroadcastStart();
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
        if (collectTrainingStats) stats.logBroadcastEnd();
        WorkerConfiguration worker = new WorkerConfiguration(false, rddDataSetNumExamples, batchSizePerWorker,
                averagingFrequency, prefetchNumBatches, collectTrainingStats);
        return new PooledTrainingWorker(configBroadcast, roundBroadcast, saveUpdater, worker, trainingHookList,
                workerTimes(sc));
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
