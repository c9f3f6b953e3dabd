package io.sparklstm.jobs.train;

import io.sparklstm.jobs.train.ExchangeWire.Flat;
import io.sparklstm.jobs.train.ExchangeWire.Report;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.TaskKilledException;
import org.apache.spark.broadcast.Broadcast;
import org.datavec.spark.util.SerializableHadoopConfig;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.datasets.iterator.AsyncDataSetIterator;
import org.deeplearning4j.datasets.iterator.IteratorDataSetIterator;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.iterator.PathSparkDataSetIterator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import scala.runtime.AbstractFunction1;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;

/**
 * One worker of a job of averaging rounds ({@link RoundTrainingMaster#fitJob}), run as a task of a barrier stage:
 * its partition holds one element, the minibatch paths it fits in each of the job's rounds. It takes a network
 * as {@link PooledTrainingWorker} does (its executor's pool, or built from the broadcast configuration) with the
 * broadcast start, and then per round fits its paths as dl4j-spark's worker does (the same loader, re-batched to
 * batchSizePerWorker by DL4J's iterator, the training hooks around every fit), sends its parameters and updater
 * state to the driver's {@link RoundExchange}, and continues from the average it gets back. A round without paths
 * for it fits nothing and waits for the others.
 *
 * <p>While it waits for the driver it checks every {@value #POLL_MS} ms whether Spark killed its task (a barrier
 * stage's other tasks are killed when one fails).
 */
final class JobRoundsTask extends AbstractFunction1<scala.collection.Iterator<String[][]>,
        scala.collection.Iterator<Integer>> implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final int POLL_MS = 500;
    private static final int CONNECT_TIMEOUT_MS = 30_000;

    private final Broadcast<String> configuration;
    private final Broadcast<RoundStart> start;
    private final String host;
    private final int port;
    private final byte[] token;
    private final long job;
    private final int batchSize;
    private final int prefetch;
    private final boolean saveUpdater;
    private final List<TrainingHook> hooks;
    private final DataSetLoader loader;
    private final Broadcast<SerializableHadoopConfig> hadoop;

    JobRoundsTask(Broadcast<String> configuration, Broadcast<RoundStart> start, RoundExchange exchange,
                  int batchSize, int prefetch, boolean saveUpdater, List<TrainingHook> hooks, DataSetLoader loader,
                  Broadcast<SerializableHadoopConfig> hadoop) {
        this.configuration = configuration;
        this.start = start;
        this.host = exchange.host();
        this.port = exchange.port();
        this.token = exchange.token();
        this.job = exchange.job();
        this.batchSize = batchSize;
        this.prefetch = prefetch;
        this.saveUpdater = saveUpdater;
        this.hooks = hooks == null ? List.of() : List.copyOf(hooks);
        this.loader = loader;
        this.hadoop = hadoop;
    }

    @Override
    public scala.collection.Iterator<Integer> apply(scala.collection.Iterator<String[][]> partition) {
        String[][] rounds = partition.next();
        BarrierTaskContext context = BarrierTaskContext.get();
        int worker = context.partitionId();
        long started = System.nanoTime();
        RoundStart begin = start.getValue();
        MultiLayerNetwork network = WorkerNetworks.take(begin.key()).orElse(null);
        boolean built = network == null;
        if (built) network = PooledTrainingWorker.build(configuration.getValue(), begin);
        try {
            PooledTrainingWorker.load(network, begin);
            Nd4j.getExecutioner().commit();
            double initMs = (System.nanoTime() - started) / 1e6;
            try (Socket socket = new Socket()) {
                try {
                    socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
                } catch (IOException e) {
                    throw new IOException("worker " + worker + " cannot reach the driver's averaging exchange at "
                            + host + ":" + port + " (training.roundsPerJob > 1 needs executors that can connect to "
                            + "the driver's host): " + e.getMessage(), e);
                }
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(POLL_MS);
                ExchangeWire.Input in = new ExchangeWire.Input(socket.getInputStream(), () -> {
                    if (context.isInterrupted()) {
                        throw new TaskKilledException("killed while waiting for the averaging exchange");
                    }
                });
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(),
                        1 << 16));
                ExchangeWire.writeHello(out, token, job, context.stageAttemptNumber(), worker);
                try {
                    rounds(network, rounds, begin, built, initMs, started, context, in, out);
                } catch (RuntimeException | Error e) {
                    if (!(e instanceof Aborted)) reportFailure(out, e);
                    throw e;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        } finally {
            WorkerNetworks.giveBack(begin.key(), network);
        }
        return scala.collection.Iterator$.MODULE$.single(worker);
    }

    /** Tells the driver why this worker fails, so that it reports the cause rather than the others' aborts. */
    private static void reportFailure(DataOutputStream out, Throwable e) {
        try {
            ExchangeWire.writeFailure(out, e);
        } catch (IOException | RuntimeException unsent) {
            e.addSuppressed(unsent);
        }
    }

    /** Thrown where the driver ended the job: the cause is another worker's, which the driver reports. */
    private static final class Aborted extends IllegalStateException {
        Aborted(String message) {
            super(message);
        }
    }

    private void rounds(MultiLayerNetwork network, String[][] rounds, RoundStart begin, boolean built, double initMs,
                        long started, BarrierTaskContext context, ExchangeWire.Input in, DataOutputStream out)
            throws IOException {
        int worker = context.partitionId();
        for (int r = 0; r < rounds.length; r++) {
            long t0 = r == 0 ? started : System.nanoTime();
            long[] fitNanos = new long[1];
            int examples = fit(network, Arrays.asList(rounds[r]), fitNanos);
            WorkerTime time = new WorkerTime(r == 0 ? initMs : 0, fitNanos[0] / 1e6,
                    (System.nanoTime() - t0) / 1e6, r == 0 && built);
            ExchangeWire.writeReport(out, report(network, r, examples, time));
            byte status = in.readByte();
            if (status == ExchangeWire.ABORT) {
                throw new Aborted("worker " + worker + ": the job of averaging rounds failed in round " + r
                        + " (another worker broke off; the driver reports why)");
            }
            int iteration = in.readInt();
            int epoch = in.readInt();
            INDArray params = network.params();
            Updater updater = network.getUpdater();
            INDArray state = updater == null ? null : updater.getStateViewArray();
            INDArray averaged = params;
            INDArray averagedState = begin.updaterState();
            if (status == ExchangeWire.AVERAGED) {
                averaged = ExchangeWire.readFlat(in).toArray(params);
                if (in.readBoolean()) averagedState = ExchangeWire.readFlat(in).toArray(state);
            } else if (saveUpdater && state != null) {
                averagedState = state.dup(); // nobody fitted: the last average's state stands
            }
            PooledTrainingWorker.load(network, new RoundStart(begin.key(), iteration, epoch, averaged,
                    averagedState));
        }
    }

    /** Fits the round's paths as dl4j-spark's worker does; the examples fitted. */
    private int fit(MultiLayerNetwork network, List<String> paths, long[] fitNanos) {
        if (paths.isEmpty()) return 0;
        DataSetIterator batches = new IteratorDataSetIterator(new PathSparkDataSetIterator(paths.iterator(), loader,
                hadoop), batchSize);
        if (prefetch > 0) batches = new AsyncDataSetIterator(batches, prefetch);
        int examples = 0;
        try {
            while (batches.hasNext()) {
                DataSet batch = batches.next();
                fitNanos[0] += PooledTrainingWorker.fit(network, batch, hooks);
                examples += batch.numExamples();
            }
        } finally {
            if (batches instanceof AsyncDataSetIterator async) async.shutdown();
        }
        return examples;
    }

    /** What the worker sends after a round: copies of its parameters and updater state where it fitted any. */
    private Report report(MultiLayerNetwork network, int round, int examples, WorkerTime time) {
        if (examples == 0) return new Report(round, 0, Double.NaN, time, null, null);
        Updater updater = network.getUpdater();
        INDArray state = saveUpdater && updater != null ? updater.getStateViewArray() : null;
        return new Report(round, examples, network.score(), time, Flat.of(network.params()),
                state == null ? null : Flat.of(state));
    }
}
