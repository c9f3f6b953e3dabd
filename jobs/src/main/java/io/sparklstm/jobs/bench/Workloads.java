package io.sparklstm.jobs.bench;

import io.sparklstm.model.CellType;
import io.sparklstm.model.ModelSpec;
import io.sparklstm.model.NetworkFactory;
import io.sparklstm.model.Task;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** What the benchmark runs: the gate GEMM on its own, and LSTM training on random data of a shape. */
final class Workloads {

    static final int CLASSES = 6;

    private Workloads() {
    }

    /** ND4J's GEMM rate in GFLOP/s at the gate-GEMM shape, single precision: the roofline for the shape. */
    static double gemmGflops(Shape shape, double seconds) throws Exception {
        INDArray a = Nd4j.rand(DataType.FLOAT, shape.gemmM(), shape.gemmK());
        INDArray b = Nd4j.rand(DataType.FLOAT, shape.gemmK(), shape.gemmN());
        INDArray c = Nd4j.create(DataType.FLOAT, shape.gemmM(), shape.gemmN());
        double rate = Timed.callsPerSecond(() -> a.mmuli(b, c), 20, seconds);
        return rate * shape.gemmFlops() / 1e9;
    }

    /** The benchmarked network: one LSTM layer of the shape's units, its last step classified. */
    static MultiLayerNetwork network(Shape shape, long seed, ModelSpec.Kernel kernel) {
        return NetworkFactory.network(spec(shape, seed, kernel), Task.CLASSIFICATION, shape.inputs(), CLASSES);
    }

    /**
     * Bytes of parameters plus updater state of the shape's network: what an averaging round broadcasts, and what
     * each worker's result carries back.
     */
    static long transferBytes(Shape shape) {
        MultiLayerNetwork net = network(shape, 1, ModelSpec.Kernel.AUTO);
        INDArray params = net.params();
        INDArray state = net.getUpdater().getStateViewArray();
        long values = params.length() + (state == null ? 0 : state.length());
        return values * params.dataType().width();
    }

    static ModelSpec spec(Shape shape, long seed, ModelSpec.Kernel kernel) {
        return new ModelSpec(CellType.LSTM, List.of(shape.units()), List.of(), false, 0.0, 0.0,
                ModelSpec.Clipping.NONE, 1.0, ModelSpec.Updater.ADAM, 1e-3, 1.0, 0, seed, kernel);
    }

    /** A random minibatch of the shape: standard normal features, random one-hot labels. */
    static DataSet minibatch(Shape shape, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray features = Nd4j.randn(DataType.FLOAT, shape.minibatch(), shape.inputs(), shape.steps());
        INDArray labels = Nd4j.zeros(DataType.FLOAT, shape.minibatch(), CLASSES);
        java.util.Random random = new java.util.Random(seed);
        for (int i = 0; i < shape.minibatch(); i++) labels.putScalar(i, random.nextInt(CLASSES), 1f);
        return new DataSet(features, labels);
    }

    /**
     * Training examples per second, summed, of {@code threads} plain fits side by side, each thread fitting its own
     * network with no communication: what {@code threads} workers could reach on this machine if parameter
     * averaging cost nothing. Two such threads shared the 2-core test machine's memory system and ran 1.5-1.7x
     * one thread, not 2x.
     */
    static double parallelExamplesPerSecond(Shape shape, double seconds, ModelSpec.Kernel kernel, int threads)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier together = new CyclicBarrier(threads);
            List<Future<Double>> rates = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = 2 + t;
                rates.add(pool.submit(() -> {
                    MultiLayerNetwork net = network(shape, 1, kernel);
                    DataSet batch = minibatch(shape, seed);
                    for (int i = 0; i < 3; i++) net.fit(batch);
                    together.await();
                    return Timed.callsPerSecond(() -> net.fit(batch), 0, seconds) * shape.minibatch();
                }));
            }
            double sum = 0;
            for (Future<Double> rate : rates) sum += rate.get();
            return sum;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Training examples per second of one plain process ({@code MultiLayerNetwork.fit}), on this thread. */
    static double processExamplesPerSecond(Shape shape, double seconds, ModelSpec.Kernel kernel) throws Exception {
        MultiLayerNetwork net = network(shape, 1, kernel);
        DataSet batch = minibatch(shape, 2);
        return Timed.callsPerSecond(() -> net.fit(batch), 3, seconds) * shape.minibatch();
    }
}
