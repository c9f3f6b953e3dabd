package io.sparklstm.jobs.train;

import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.CollectionAccumulator;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.api.WorkerConfiguration;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;
import org.deeplearning4j.spark.impl.paramavg.stats.ParameterAveragingTrainingWorkerStats;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Collection;
import java.util.List;

/**
 * dl4j-spark's parameter-averaging worker, with its network kept in the executor between rounds
 * ({@link WorkerNetworks}). dl4j-spark's own worker builds a network every round: it clones the broadcast
 * configuration, allocates and initialises every layer and a new updater, then copies the parameters and updater
 * state in. This one takes an idle network built for the same configuration, sets the round's parameters, updater
 * state and iteration and epoch counters into it, and builds one (from the configuration's JSON, broadcast once
 * per configuration) only when none is idle.
 *
 * <p>The same numbers go in as with dl4j-spark's worker, so the same numbers come out: a network carries nothing
 * else from one {@code fit} to the next that training reads (no RNG seed is set on {@code init} with given
 * parameters, and recurrent state and mask arrays are cleared here on taking one). The result is a copy of the
 * parameters and updater state, because the network goes back to the pool at once and another task of the same
 * executor may take it before this result is serialized.
 *
 * <p>Only {@link MultiLayerNetwork}s: the project trains nothing else.
 */
final class PooledTrainingWorker extends ParameterAveragingTrainingWorker {

    private static final long serialVersionUID = 1L;

    private final Broadcast<String> configuration;
    private final Broadcast<RoundStart> round;
    private final boolean returnUpdater;
    private final boolean collectStats;
    private final Collection<TrainingHook> hooks;
    private final CollectionAccumulator<WorkerTime> times;

    // per task: Spark deserializes the worker for each task
    private transient ParameterAveragingTrainingWorkerStats.ParameterAveragingTrainingWorkerStatsHelper stats;
    private transient long started;
    private transient long initNanos;
    private transient long fitNanos;
    private transient boolean built;

    PooledTrainingWorker(Broadcast<String> configuration, Broadcast<RoundStart> round, boolean saveUpdater,
                         WorkerConfiguration worker, Collection<TrainingHook> hooks,
                         CollectionAccumulator<WorkerTime> times) {
        super(null, saveUpdater, worker, hooks, null, null);
        this.configuration = configuration;
        this.round = round;
        this.returnUpdater = saveUpdater;
        this.collectStats = worker.isCollectTrainingStats();
        this.hooks = hooks == null ? List.of() : List.copyOf(hooks);
        this.times = times;
    }

    @Override
    public MultiLayerNetwork getInitialModel() {
        started = System.nanoTime();
        fitNanos = 0;
        if (collectStats) {
            stats = new ParameterAveragingTrainingWorkerStats.ParameterAveragingTrainingWorkerStatsHelper();
            stats.logBroadcastGetValueStart();
        }
        RoundStart start = round.getValue();
        if (collectStats) stats.logBroadcastGetValueEnd();
        MultiLayerNetwork network = WorkerNetworks.take(start.key()).orElse(null);
        built = network == null;
        if (built) network = build(configuration.getValue(), start);
        load(network, start);
        Nd4j.getExecutioner().commit();
        if (collectStats) stats.logInitEnd();
        initNanos = System.nanoTime() - started;
        return network;
    }

    /**
     * A network of the broadcast configuration, initialised with a copy of the round's parameters as dl4j-spark's
     * worker does it (no weight initialisation, so the thread's random generator is not reseeded).
     */
    static MultiLayerNetwork build(String configuration, RoundStart start) {
        MultiLayerNetwork network = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(configuration));
        network.init(start.parameters().dup(), false);
        return network;
    }

    /** Sets what the round starts from into {@code network}; whatever it held before is overwritten. */
    static void load(MultiLayerNetwork network, RoundStart start) {
        network.params().assign(start.parameters());
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
        conf.setIterationCount(start.iterationCount());
        conf.setEpochCount(start.epochCount());
        Updater updater = network.getUpdater();
        INDArray state = updater == null ? null : updater.getStateViewArray();
        if (start.updaterState() != null) {
            if (state == null || state.length() != start.updaterState().length()) {
                throw new IllegalStateException("the broadcast updater state holds " + start.updaterState().length()
                        + " values, the worker's network " + (state == null ? "none" : state.length()));
            }
            state.assign(start.updaterState());
        }
        network.rnnClearPreviousState();
        network.clearLayerMaskArrays();
    }

    @Override
    public ComputationGraph getInitialModelGraph() {
        throw new UnsupportedOperationException("pooled workers train MultiLayerNetworks only");
    }

    @Override
    public ParameterAveragingTrainingResult processMinibatch(DataSet dataSet, MultiLayerNetwork network,
                                                             boolean isLast) {
        if (collectStats) stats.logFitStart();
        fitNanos += fit(network, dataSet, hooks);
        if (collectStats) stats.logFitEnd(dataSet.numExamples());
        return isLast ? getFinalResult(network) : null;
    }

    /**
     * Fits one minibatch as dl4j-spark's worker does, with the training hooks before and after, and waits for the
     * backend to finish it; returns the nanoseconds it took. Shared with the rounds of one job ({@link JobRoundsTask}).
     */
    static long fit(MultiLayerNetwork network, DataSet batch, Collection<TrainingHook> hooks) {
        long t0 = System.nanoTime();
        for (TrainingHook hook : hooks) hook.preUpdate(batch, network);
        network.fit(batch);
        for (TrainingHook hook : hooks) hook.postUpdate(batch, network);
        Nd4j.getExecutioner().commit();
        return System.nanoTime() - t0;
    }

    @Override
    public Pair<ParameterAveragingTrainingResult, SparkTrainingStats> processMinibatchWithStats(
            DataSet dataSet, MultiLayerNetwork network, boolean isLast) {
        ParameterAveragingTrainingResult result = processMinibatch(dataSet, network, isLast);
        return result == null ? null : new Pair<>(result, workerStats());
    }

    /** Copies of the parameters and updater state; the network goes back to the pool. */
    @Override
    public ParameterAveragingTrainingResult getFinalResult(MultiLayerNetwork network) {
        INDArray params = network.params().dup();
        INDArray state = null;
        if (returnUpdater && network.getUpdater() != null && network.getUpdater().getStateViewArray() != null) {
            state = network.getUpdater().getStateViewArray().dup();
        }
        double score = network.score();
        Nd4j.getExecutioner().commit();
        WorkerNetworks.giveBack(round.getValue().key(), network);
        times.add(new WorkerTime(initNanos / 1e6, fitNanos / 1e6, (System.nanoTime() - started) / 1e6, built));
        return new ParameterAveragingTrainingResult(params, state, score, null, null, null);
    }

    @Override
    public Pair<ParameterAveragingTrainingResult, SparkTrainingStats> getFinalResultWithStats(
            MultiLayerNetwork network) {
        return new Pair<>(getFinalResult(network), workerStats());
    }

    private SparkTrainingStats workerStats() {
        return stats == null ? null : stats.build();
    }
}
