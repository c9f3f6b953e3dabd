package io.sparklstm.model;

import java.util.List;

/**
 * What to build: the recurrent layers, the optional dense layers after them, and the optimisation options
 * that belong to the model (not to the cluster). Checked here, once, so that every holder of a spec can
 * trust it.
 *
 * @param cell            recurrent cell type
 * @param layers          units of each stacked recurrent layer, input side first
 * @param denseLayers     units of dense (tanh) layers between the last recurrent step and the output
 * @param bidirectional   run each recurrent layer in both directions (sequence classification only)
 * @param dropout         probability of dropping an input activation of each hidden layer, in [0, 1)
 * @param l2              L2 weight decay coefficient, {@code >= 0}
 * @param clipping        gradient clipping
 * @param clipThreshold   threshold of the clipping, {@code > 0} unless clipping is NONE
 * @param updater         optimiser
 * @param learningRate    initial learning rate, {@code > 0}
 * @param lrDecayPerEpoch multiplicative learning-rate decay applied after each epoch, in (0, 1]
 * @param tbpttSteps      truncated back-propagation length in steps, 0 for full back-propagation
 * @param seed            weight initialisation seed
 * @param kernel          how the LSTM layers compute: DL4J's own layers, ND4J's fused {@code lstmLayer} op, or
 *                        whichever was measured faster for each layer's size
 * @param convLayers      filters of each 1-D convolution (ReLU, same length out as in) that reads the input before
 *                        the recurrent layers, input side first; empty: none (sequence classification only)
 * @param convKernel      steps each convolution spans, odd; 0 only without convolutions (bundles saved before
 *                        they were a setting)
 */
public record ModelSpec(
        CellType cell,
        List<Integer> layers,
        List<Integer> denseLayers,
        boolean bidirectional,
        double dropout,
        double l2,
        Clipping clipping,
        double clipThreshold,
        Updater updater,
        double learningRate,
        double lrDecayPerEpoch,
        int tbpttSteps,
        long seed,
        Kernel kernel,
        List<Integer> convLayers,
        int convKernel) {

    /** Gradient clipping modes. */
    public enum Clipping { NONE, VALUE, NORM }

    /**
     * How LSTM layers compute. The parameters, and so checkpoints and bundles, are the same either way.
     * {@code FUSED} runs whole-sequence training (truncated BPTT included) through the fused kernel: the forward
     * pass in libnd4j's native {@code lstmBlock} op, kept for a back-propagation written from ND4J operations,
     * and inference through the native {@code lstmLayer} op; layer masks other than end padding and one-step
     * inference use DL4J's code still. {@code AUTO} is the faster of the two: fused, which trained 1.2x to 3.4x
     * as fast as DL4J's layers at every benchmarked shape (64 to 512 units, {@code bench}, 2026-11-23).
     */
    public enum Kernel { AUTO, FUSED, DL4J }

    /** Optimisers. */
    public enum Updater { ADAM, NADAM, RMSPROP, SGD }

    public ModelSpec {
        if (cell == null) throw invalid("cell", null, "one of " + List.of(CellType.values()));
        layers = List.copyOf(layers == null ? List.of() : layers);
        denseLayers = List.copyOf(denseLayers == null ? List.of() : denseLayers);
        if (layers.isEmpty()) throw invalid("layers", layers, "at least one recurrent layer");
        for (int units : layers) {
            if (units < 1) throw invalid("layers", layers, "positive unit counts");
        }
        for (int units : denseLayers) {
            if (units < 1) throw invalid("denseLayers", denseLayers, "positive unit counts");
        }
        if (!(dropout >= 0 && dropout < 1)) throw invalid("dropout", dropout, "a probability in [0, 1)");
        if (!(l2 >= 0)) throw invalid("l2", l2, ">= 0");
        if (clipping == null) throw invalid("clipping", null, "one of " + List.of(Clipping.values()));
        if (clipping != Clipping.NONE && !(clipThreshold > 0)) {
            throw invalid("clipThreshold", clipThreshold, "> 0 when clipping is " + clipping);
        }
        if (updater == null) throw invalid("updater", null, "one of " + List.of(Updater.values()));
        if (!(learningRate > 0)) throw invalid("learningRate", learningRate, "> 0");
        if (!(lrDecayPerEpoch > 0 && lrDecayPerEpoch <= 1)) {
            throw invalid("lrDecayPerEpoch", lrDecayPerEpoch, "in (0, 1]");
        }
        if (tbpttSteps < 0) throw invalid("tbpttSteps", tbpttSteps, ">= 0");
        // bundles saved before the kernel was a setting have none: they ran DL4J's layers, and the kernel
        // does not change what a network computes, so they load with the default
        if (kernel == null) kernel = Kernel.AUTO;
        convLayers = List.copyOf(convLayers == null ? List.of() : convLayers);
        for (int filters : convLayers) {
            if (filters < 1) throw invalid("convLayers", convLayers, "positive filter counts");
        }
        if (convKernel < 0 || (!convLayers.isEmpty() && (convKernel < 1 || convKernel % 2 == 0))) {
            throw invalid("convKernel", convKernel, "an odd positive integer (the steps a convolution spans, "
                    + "centred on its step)");
        }
    }

    /** A spec without convolutions. */
    public ModelSpec(CellType cell, List<Integer> layers, List<Integer> denseLayers, boolean bidirectional,
                     double dropout, double l2, Clipping clipping, double clipThreshold, Updater updater,
                     double learningRate, double lrDecayPerEpoch, int tbpttSteps, long seed, Kernel kernel) {
        this(cell, layers, denseLayers, bidirectional, dropout, l2, clipping, clipThreshold, updater, learningRate,
                lrDecayPerEpoch, tbpttSteps, seed, kernel, List.of(), 0);
    }

    /** A spec whose LSTM layers use the {@link Kernel#AUTO} kernel. */
    public ModelSpec(CellType cell, List<Integer> layers, List<Integer> denseLayers, boolean bidirectional,
                     double dropout, double l2, Clipping clipping, double clipThreshold, Updater updater,
                     double learningRate, double lrDecayPerEpoch, int tbpttSteps, long seed) {
        this(cell, layers, denseLayers, bidirectional, dropout, l2, clipping, clipThreshold, updater, learningRate,
                lrDecayPerEpoch, tbpttSteps, seed, Kernel.AUTO);
    }

    /** This spec with another kernel. */
    public ModelSpec withKernel(Kernel k) {
        return new ModelSpec(cell, layers, denseLayers, bidirectional, dropout, l2, clipping, clipThreshold, updater,
                learningRate, lrDecayPerEpoch, tbpttSteps, seed, k, convLayers, convKernel);
    }

    /** Whether LSTM layers run through the fused kernel. */
    public boolean fused() {
        return kernel != Kernel.DL4J;
    }

    /** The learning rate in force during the given zero-based epoch. */
    public double learningRateAt(int epoch) {
        return learningRate * Math.pow(lrDecayPerEpoch, epoch);
    }

    private static IllegalArgumentException invalid(String key, Object value, String expected) {
        return new IllegalArgumentException(InvalidSetting.message("model." + key, value, expected));
    }
}
