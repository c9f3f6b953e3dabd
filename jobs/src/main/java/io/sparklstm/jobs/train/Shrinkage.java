package io.sparklstm.jobs.train;

import io.sparklstm.jobs.evaluate.DistributedEvaluator;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/**
 * A forecaster's output scaled, per target, toward zero by the factor in [0, 1] that minimizes its MSE on the
 * validation split. Its targets are measured from a naive forecast (or the training mean), so a zero output is
 * that forecast: the factor keeps as much of the network's correction as carries over to data it was not
 * trained on, and 0 where none does. On the validation split the result is never worse than either the network
 * or the naive forecast alone; the factor is a least-squares fit, {@code sum(y f) / sum(f f)}, clipped.
 */
final class Shrinkage {

    private Shrinkage() {
    }

    /** The factor of each target, from the validation windows; 1 where there are none. */
    static double[] fit(JavaSparkContext sc, MultiLayerNetwork network, List<String> validationFiles, int targets) {
        double[] moments = DistributedEvaluator.outputMoments(sc, network, validationFiles, targets);
        double[] factors = new double[targets];
        for (int j = 0; j < targets; j++) {
            double yf = moments[2 * j];
            double ff = moments[2 * j + 1];
            factors[j] = ff > 0 ? Math.max(0, Math.min(1, yf / ff)) : 1;
        }
        return factors;
    }

    /**
     * Scales the output layer's weights and bias of each output column by its target's factor (columns are
     * {@code h * targets + j}), which scales the network's identity output exactly.
     */
    static void apply(MultiLayerNetwork network, double[] factors) {
        Layer out = network.getLayer(network.getnLayers() - 1);
        INDArray w = out.getParam("W");
        INDArray b = out.getParam("b");
        int targets = factors.length;
        for (long col = 0; col < w.size(1); col++) {
            double f = factors[(int) (col % targets)];
            w.getColumn(col).muli(f);
            // the bias is [nOut] or [1, nOut]: one value per output column either way
            b.putScalar(col, b.getDouble(col) * f);
        }
    }
}
