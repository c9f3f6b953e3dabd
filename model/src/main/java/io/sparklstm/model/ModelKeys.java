package io.sparklstm.model;

import io.sparklstm.model.settings.Section;
import io.sparklstm.model.settings.Setting;
import io.sparklstm.model.settings.Validator;

import java.util.List;

import static io.sparklstm.model.settings.Validator.of;

/**
 * The {@code model} section of the configuration: each key once, with its default, its meaning and its check
 * ({@link ModelSpec} checks its values with them). Messages show values as they are.
 */
public final class ModelKeys {

    private ModelKeys() {
    }

    public static final Setting<CellType> CELL = Setting.choice("model.cell", CellType.class, CellType.LSTM, """
            lstm (DL4J LSTM) or peephole (DL4J GravesLSTM)
            """).shownAsIs();
    public static final Setting<List<Integer>> LAYERS = Setting.integers("model.layers", List.of(64),
            Validator.<List<Integer>>of(l -> !l.isEmpty(), "at least one recurrent layer").and(positiveUnits()), """
            units of each stacked recurrent layer
            """).shownAsIs();
    public static final Setting<List<Integer>> DENSE_LAYERS = Setting.integers("model.denseLayers", List.of(),
            positiveUnits(), """
            units of dense tanh layers after the last recurrent step
            """).shownAsIs();
    public static final Setting<Boolean> BIDIRECTIONAL = Setting.bool("model.bidirectional", false, """
            both directions (classification only)
            """).shownAsIs();
    public static final Setting<ModelSpec.Pooling> POOLING = Setting.choice("model.pooling", ModelSpec.Pooling.class,
            ModelSpec.Pooling.LAST, """
            how a sequence classifier reads the last recurrent layer: last (its output at the sequence's last step),
            mean or max (the mean or the maximum of its outputs over the sequence's steps, padding left out).
            Sequence classification only; forecasts and per-step classification take last
            """).shownAsIs();
    public static final Setting<Double> DROPOUT = Setting.number("model.dropout", 0.0,
            of(p -> p >= 0 && p < 1, "a probability in [0, 1)"), """
            probability of dropping an input activation of each layer after the first
            """).shownAsIs();
    public static final Setting<Double> L2 = Setting.number("model.l2", 0.0, Validator.atLeastZero(), """
            L2 weight decay coefficient, >= 0
            """).shownAsIs();
    public static final Setting<ModelSpec.Clipping> CLIPPING = Setting.choice("model.clipping",
            ModelSpec.Clipping.class, ModelSpec.Clipping.NORM, """
            none, value or norm
            """).shownAsIs();
    /** Checked with {@link #CLIPPING} by {@link ModelSpec}: any value does when nothing is clipped. */
    public static final Setting<Double> CLIP_THRESHOLD = Setting.number("model.clipThreshold", 1.0, Validator.any(),
            """
            threshold of the clipping, > 0 unless clipping = none
            """).shownAsIs();
    public static final Setting<ModelSpec.Updater> UPDATER = Setting.choice("model.updater", ModelSpec.Updater.class,
            ModelSpec.Updater.ADAM, """
            adam, nadam, rmsprop or sgd
            """).shownAsIs();
    public static final Setting<Double> LEARNING_RATE = Setting.number("model.learningRate", 0.001,
            Validator.aboveZero(), """
            learning rate of the first epoch
            """).shownAsIs();
    public static final Setting<Double> LR_DECAY_PER_EPOCH = Setting.number("model.lrDecayPerEpoch", 1.0,
            of(d -> d > 0 && d <= 1, "in (0, 1]"), """
            the learning rate is multiplied by this after every epoch
            """).shownAsIs();
    public static final Setting<Integer> TBPTT_STEPS = Setting.integer("model.tbpttSteps", 0, Validator.nonNegative(),
            """
            truncated back-propagation through time length; 0: full sequences
            """).shownAsIs();
    public static final Setting<Long> SEED = Setting.longInteger("model.seed", 12345, """
            seed of the weight initialisation
            """).shownAsIs();
    public static final Setting<List<Integer>> CONV_LAYERS = Setting.integers("model.convLayers", List.of(),
            of(l -> l.stream().allMatch(filters -> filters >= 1), "positive filter counts"), """
            filters of 1-D convolutions (ReLU) that read the input before the recurrent layers, each keeping the
            sequence's length (so masks still hold); sequence classification only, as a convolution centred on a step
            sees the steps after it. []: none
            """).shownAsIs();
    public static final Setting<Integer> CONV_KERNEL = Setting.integer("model.convKernel", 3,
            of(k -> k >= 1 && k % 2 == 1, "an odd positive integer (the steps a convolution spans, centred on its step)"),
            """
            steps each convolution spans, centred on its step: an odd positive integer
            """).shownAsIs();
    public static final Setting<Integer> ENSEMBLE_MEMBERS = Setting.integer("model.ensembleMembers", 1,
            Validator.positive(), """
            networks trained one after another on the same prepared data and split (each a full training run, with
            model.seed, model.seed + 1, ...) whose outputs are averaged: class probabilities, or the standardized
            forecasts. Multiplies the training time. 1: one network
            """).shownAsIs();
    public static final Setting<ModelSpec.Kernel> KERNEL = Setting.choice("model.kernel", ModelSpec.Kernel.class,
            ModelSpec.Kernel.AUTO, """
            how LSTM layers compute: dl4j (DL4J's layers), fused (training passes, truncated BPTT included, in
            libnd4j's native lstmBlock op plus a back-propagation whose per-step element-wise work is plain Java; CPU
            backend only; layer masks other than end padding and one-step inference stay on DL4J's code), or auto
            (the faster: fused, 1.75x-5.6x DL4J's speed at every benchmarked shape, README.md). Same results either way.
            """).shownAsIs();

    public static final Section SECTION = new Section("model", List.of(CELL, CONV_LAYERS, CONV_KERNEL, LAYERS, DENSE_LAYERS, BIDIRECTIONAL, POOLING,
            DROPOUT, L2, CLIPPING, CLIP_THRESHOLD, UPDATER, LEARNING_RATE, LR_DECAY_PER_EPOCH, TBPTT_STEPS, SEED,
            ENSEMBLE_MEMBERS, KERNEL));

    private static Validator<List<Integer>> positiveUnits() {
        return of(l -> l.stream().allMatch(units -> units >= 1), "positive unit counts");
    }
}
