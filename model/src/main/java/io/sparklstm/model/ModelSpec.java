package io.sparklstm.model;

import com.fasterxml.jackson.annotation.JsonInclude;

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
 * @param ensembleMembers networks trained one after another with seeds {@code seed}, {@code seed + 1}, ..., whose
 *                        outputs are averaged; 1: one network (0 reads as 1: bundles saved before ensembles were a
 *                        setting). Left out of a bundle's JSON when 1, so that one-network bundles are as before
 * @param pooling         how a sequence classifier turns the last recurrent layer's steps into one vector: its last
 *                        (unmasked) step, or the mean or maximum over its unmasked steps ({@code null} reads as
 *                        {@code LAST}: bundles saved before pooling was a setting). Left out of the JSON when
 *                        {@code LAST}, so that such bundles are as before
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
        int convKernel,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = OneNetwork.class) int ensembleMembers,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = LastStep.class) Pooling pooling) {

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

    /**
     * How a sequence classifier reads its last recurrent layer: the output at the last unmasked step (what a
     * sequence-to-one LSTM classically does), or the mean or the maximum of the outputs over the unmasked steps
     * (each step reaches the output directly, which suits labels that belong to the whole sequence, such as who
     * speaks). Forecasts and per-step classification read the last step or every step, so they take only
     * {@code LAST}.
     */
    public enum Pooling { LAST, MEAN, MAX }

    /** Optimisers. */
    public enum Updater { ADAM, NADAM, RMSPROP, SGD }

    public ModelSpec {
        if (cell == null) throw ModelKeys.CELL.invalid(null, "one of " + List.of(CellType.values()));
        layers = List.copyOf(layers == null ? List.of() : layers);
        denseLayers = List.copyOf(denseLayers == null ? List.of() : denseLayers);
        ModelKeys.LAYERS.check(layers);
        ModelKeys.DENSE_LAYERS.check(denseLayers);
        ModelKeys.DROPOUT.check(dropout);
        ModelKeys.L2.check(l2);
        if (clipping == null) throw ModelKeys.CLIPPING.invalid(null, "one of " + List.of(Clipping.values()));
        if (clipping != Clipping.NONE && !(clipThreshold > 0)) {
            throw ModelKeys.CLIP_THRESHOLD.invalid(clipThreshold, "> 0 when clipping is " + clipping);
        }
        if (updater == null) throw ModelKeys.UPDATER.invalid(null, "one of " + List.of(Updater.values()));
        ModelKeys.LEARNING_RATE.check(learningRate);
        ModelKeys.LR_DECAY_PER_EPOCH.check(lrDecayPerEpoch);
        ModelKeys.TBPTT_STEPS.check(tbpttSteps);
        // bundles saved before the kernel was a setting have none: they ran DL4J's layers, and the kernel
        // does not change what a network computes, so they load with the default
        if (kernel == null) kernel = Kernel.AUTO;
        convLayers = List.copyOf(convLayers == null ? List.of() : convLayers);
        ModelKeys.CONV_LAYERS.check(convLayers);
        // bundles saved before convolutions were a setting have no kernel (0): allowed where there is no convolution
        if (!convLayers.isEmpty() || convKernel != 0) ModelKeys.CONV_KERNEL.check(convKernel);
        if (ensembleMembers == 0) ensembleMembers = 1;
        ModelKeys.ENSEMBLE_MEMBERS.check(ensembleMembers);
        if (pooling == null) pooling = Pooling.LAST;
    }

    /** Reading the last recurrent step. */
    public ModelSpec(CellType cell, List<Integer> layers, List<Integer> denseLayers, boolean bidirectional,
                     double dropout, double l2, Clipping clipping, double clipThreshold, Updater updater,
                     double learningRate, double lrDecayPerEpoch, int tbpttSteps, long seed, Kernel kernel,
                     List<Integer> convLayers, int convKernel, int ensembleMembers) {
        this(cell, layers, denseLayers, bidirectional, dropout, l2, clipping, clipThreshold, updater, learningRate,
                lrDecayPerEpoch, tbpttSteps, seed, kernel, convLayers, convKernel, ensembleMembers, Pooling.LAST);
    }

    /** One network. */
    public ModelSpec(CellType cell, List<Integer> layers, List<Integer> denseLayers, boolean bidirectional,
                     double dropout, double l2, Clipping clipping, double clipThreshold, Updater updater,
                     double learningRate, double lrDecayPerEpoch, int tbpttSteps, long seed, Kernel kernel,
                     List<Integer> convLayers, int convKernel) {
        this(cell, layers, denseLayers, bidirectional, dropout, l2, clipping, clipThreshold, updater, learningRate,
                lrDecayPerEpoch, tbpttSteps, seed, kernel, convLayers, convKernel, 1);
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
                learningRate, lrDecayPerEpoch, tbpttSteps, seed, k, convLayers, convKernel, ensembleMembers, pooling);
    }

    /**
     * The spec of one network of the ensemble: member {@code k} (from 0) has the seed {@code seed + k}; a member
     * is one network.
     */
    public ModelSpec member(int k) {
        if (k < 0 || k >= ensembleMembers) {
            throw new IllegalArgumentException("member " + k + " of an ensemble of " + ensembleMembers);
        }
        return new ModelSpec(cell, layers, denseLayers, bidirectional, dropout, l2, clipping, clipThreshold, updater,
                learningRate, lrDecayPerEpoch, tbpttSteps, seed + k, kernel, convLayers, convKernel, 1, pooling);
    }

    /** Whether this spec describes more than one network. */
    public boolean isEnsemble() {
        return ensembleMembers > 1;
    }

    /** Leaves {@code ensembleMembers = 1} out of the JSON (Jackson leaves a value out when this equals it). */
    static final class OneNetwork {
        @Override
        public boolean equals(Object value) {
            return value instanceof Integer n && n == 1;
        }

        @Override
        public int hashCode() {
            return 1;
        }
    }

    /** Leaves {@code pooling = LAST} out of the JSON. */
    static final class LastStep {
        @Override
        public boolean equals(Object value) {
            return value == Pooling.LAST;
        }

        @Override
        public int hashCode() {
            return 2;
        }
    }

    /** Whether LSTM layers run through the fused kernel. */
    public boolean fused() {
        return kernel != Kernel.DL4J;
    }

    /** The learning rate in force during the given zero-based epoch. */
    public double learningRateAt(int epoch) {
        return learningRate * Math.pow(lrDecayPerEpoch, epoch);
    }
}
