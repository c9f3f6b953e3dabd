package io.sparklstm.model.fused;

import io.sparklstm.model.CellType;
import io.sparklstm.model.ModelSpec;
import io.sparklstm.model.NetworkFactory;
import io.sparklstm.model.StepwisePredictor;
import io.sparklstm.model.Task;
import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.AbstractLSTM;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.LastTimeStepLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused kernel over the edges of its input space: a minibatch of one example and odd sizes, one unit and odd
 * unit counts, one-step sequences, variable-length masks with an example of one step, stacked, bidirectional and
 * peephole layers, truncated BPTT. For each shape of a seeded sample that covers every value of every axis, the
 * fused layers must give DL4J's outputs, parameter gradients and input gradient in double precision; and a network
 * that {@link NetworkFactory} builds must train and infer on one example, as the training job runs it.
 */
class FusedKernelShapesTest {

    /** Features per step of the {@link NetworkFactory} networks. */
    private static final int N_IN = 3;
    private static final int OUT = 2;
    private static final double TOLERANCE = 1e-10;

    // the axes of the grid and their values (booleans as 0 and 1)
    private static final String[] AXES = {"minibatch", "units", "steps", "masked", "stacked", "bidirectional",
            "peephole", "truncated", "shorterBackward", "features"};
    private static final int[][] VALUES = {{1, 2, 3, 5}, {1, 3, 7}, {1, 2, 5}, {0, 1}, {0, 1}, {0, 1}, {0, 1},
            {0, 1}, {0, 1}, {1, 3}};
    private static final int RANDOM_CASES = 30;
    private static final long SEED = 20261204L;

    /** One point of the grid. */
    record Shape(int[] v) {
        int minibatch() {
            return v[0];
        }

        int units() {
            return v[1];
        }

        int steps() {
            return v[2];
        }

        boolean masked() {
            return v[3] == 1;
        }

        boolean stacked() {
            return v[4] == 1;
        }

        boolean bidirectional() {
            return v[5] == 1;
        }

        boolean peephole() {
            return v[6] == 1;
        }

        boolean truncated() {
            return v[7] == 1;
        }

        /** Segments of about half the sequence, so that a 5-step sequence ends in a segment of one step. */
        int tbpttLength() {
            return Math.max(1, steps() / 2);
        }

        int tbpttBackwardLength() {
            return Math.max(1, tbpttLength() - v[8]);
        }

        int features() {
            return v[9];
        }

        /** Whether the fused kernel runs (rather than falling back to DL4J's code): not for one unit. */
        boolean runsFused() {
            return units() > 1;
        }

        /** DL4J's Bidirectional wrapper has no truncated BPTT. */
        boolean valid() {
            return !(bidirectional() && truncated());
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder();
            for (int a = 0; a < AXES.length; a++) s.append(a == 0 ? "" : " ").append(AXES[a]).append('=').append(v[a]);
            return s.toString();
        }
    }

    /**
     * Every value of every axis once with the other axes drawn at random, then {@link #RANDOM_CASES} shapes drawn
     * at random, from a fixed seed.
     */
    static List<Shape> shapes() {
        Random random = new Random(SEED);
        List<Shape> shapes = new ArrayList<>();
        for (int axis = 0; axis < AXES.length; axis++) {
            for (int value : VALUES[axis]) shapes.add(draw(random, axis, value));
        }
        for (int k = 0; k < RANDOM_CASES; k++) shapes.add(draw(random, -1, 0));
        return shapes;
    }

    private static Shape draw(Random random, int fixedAxis, int fixedValue) {
        while (true) {
            int[] v = new int[AXES.length];
            for (int a = 0; a < AXES.length; a++) v[a] = VALUES[a][random.nextInt(VALUES[a].length)];
            if (fixedAxis >= 0) v[fixedAxis] = fixedValue;
            Shape s = new Shape(v);
            if (s.valid()) return s;
        }
    }

    static Stream<Arguments> grid() {
        return shapes().stream().map(Arguments::of);
    }

    @Test
    void theGridCoversEveryValueOfEveryAxis() {
        List<Shape> shapes = shapes();
        int covering = Arrays.stream(VALUES).mapToInt(values -> values.length).sum();
        assertEquals(covering + RANDOM_CASES, shapes.size());
        for (int axis = 0; axis < AXES.length; axis++) {
            for (int value : VALUES[axis]) {
                int a = axis;
                assertTrue(shapes.stream().anyMatch(s -> s.v()[a] == value), AXES[axis] + " = " + value);
            }
        }
        assertEquals(shapes.toString(), shapes().toString(), "the same shapes on every run");
        System.out.println("fused kernel shape grid: " + shapes.size() + " shapes");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("grid")
    void fusedEqualsDl4jInDoublePrecision(Shape shape) {
        MultiLayerNetwork dl4j = network(shape, false);
        MultiLayerNetwork fused = network(shape, true);
        long seed = Arrays.hashCode(shape.v());
        Nd4j.getRandom().setSeed(seed);
        INDArray p = Nd4j.rand(DataType.DOUBLE, dl4j.params().shape()).subi(0.5).muli(1.6);
        dl4j.setParams(p.dup());
        fused.setParams(p.dup());
        // DL4J hands recurrent layers 'f'-ordered activations
        INDArray x = Nd4j.rand(DataType.DOUBLE, shape.minibatch(), shape.features(), shape.steps()).subi(0.5).muli(2)
                .dup('f');
        INDArray y = Nd4j.rand(DataType.DOUBLE, shape.minibatch(), OUT, shape.steps());
        INDArray mask = shape.masked() ? lengthsMask(shape, new Random(seed)) : null;
        if (shape.truncated()) {
            truncatedTrainingMatches(shape, dl4j, fused, x, y, mask);
        } else {
            wholeSequenceMatches(shape, dl4j, fused, x, y, mask);
        }
    }

    /** Variable lengths, ones then zeros: the first example one step long, the others from 1 to all steps. */
    private static INDArray lengthsMask(Shape shape, Random random) {
        INDArray mask = Nd4j.zeros(DataType.DOUBLE, shape.minibatch(), shape.steps());
        for (int b = 0; b < shape.minibatch(); b++) {
            int length = b == 0 ? 1 : 1 + random.nextInt(shape.steps());
            mask.get(NDArrayIndex.point(b), NDArrayIndex.interval(0, length)).assign(1);
        }
        return mask;
    }

    private static void wholeSequenceMatches(Shape shape, MultiLayerNetwork dl4j, MultiLayerNetwork fused,
                                             INDArray x, INDArray y, INDArray mask) {
        assertClose(dl4j.output(x, false, mask, mask), fused.output(x, false, mask, mask), "output");
        Pair<Gradient, INDArray> expected = dl4j.calculateGradients(x, y, mask, mask);
        Map<String, INDArray> expectedGradients = copy(expected.getFirst());
        INDArray expectedEpsilon = expected.getSecond().dup();
        Pair<Gradient, INDArray> actual = fused.calculateGradients(x, y, mask, mask);
        if (!shape.bidirectional()) {
            assertEquals(shape.runsFused(), lastPassFused(fused.getLayer(0)), "the layer ran fused");
        }
        assertGradientsClose(expectedGradients, actual.getFirst());
        assertTrue(expectedEpsilon.amaxNumber().doubleValue() > 1e-6, "input gradient too small to compare");
        assertClose(expectedEpsilon, actual.getSecond(), "input gradient");
    }

    /**
     * Truncated BPTT trains segment by segment: two fits must leave the same parameters and outputs, and the
     * first layer, stepped through the segments as {@code fit} steps it, must give each segment's output,
     * gradients and input gradient.
     */
    private static void truncatedTrainingMatches(Shape shape, MultiLayerNetwork dl4j, MultiLayerNetwork fused,
                                                 INDArray x, INDArray y, INDArray mask) {
        for (MultiLayerNetwork net : List.of(dl4j, fused)) net.initGradientsView(); // which fit would create
        segmentsMatch(shape, (RecurrentLayer) dl4j.getLayer(0), (RecurrentLayer) fused.getLayer(0), x);
        INDArray before = dl4j.params().dup();
        for (int i = 0; i < 2; i++) {
            dl4j.fit(new DataSet(x, y, mask, mask));
            fused.fit(new DataSet(x, y, mask, mask));
        }
        assertTrue(maxAbsDifference(before, dl4j.params()) > 1e-6, "training changed nothing");
        assertClose(dl4j.params(), fused.params(), "parameters after two fits");
        assertClose(dl4j.output(x, false, mask, mask), fused.output(x, false, mask, mask), "output after two fits");
    }

    /**
     * From a carried state as DL4J's own layers leave one, in 'f' order ({@code rnnTimeStep}, or a segment that
     * ran on DL4J's code), which the fused kernel reads through a contiguous copy.
     */
    private static void segmentsMatch(Shape shape, RecurrentLayer dl4j, RecurrentLayer fused, INDArray x) {
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        Map<String, INDArray> state = Map.of(
                org.deeplearning4j.nn.layers.recurrent.LSTM.STATE_KEY_PREV_ACTIVATION,
                Nd4j.rand(DataType.DOUBLE, shape.minibatch(), shape.units()).subi(0.5).dup('f'),
                org.deeplearning4j.nn.layers.recurrent.LSTM.STATE_KEY_PREV_MEMCELL,
                Nd4j.rand(DataType.DOUBLE, shape.minibatch(), shape.units()).subi(0.5).muli(2).dup('f'));
        for (RecurrentLayer layer : List.of(dl4j, fused)) {
            layer.rnnSetPreviousState(state);
            layer.rnnSetTBPTTState(state);
        }
        int length = shape.tbpttLength();
        for (int start = 0; start < shape.steps(); start += length) {
            int end = Math.min(shape.steps(), start + length);
            String segment = "segment " + start + ".." + end + ": ";
            INDArray input = x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(start, end)).dup('f');
            INDArray epsilon = Nd4j.rand(DataType.DOUBLE, shape.minibatch(), shape.units(), end - start);
            INDArray expectedOut = dl4j.rnnActivateUsingStoredState(input, true, true, mgr).dup();
            INDArray actualOut = fused.rnnActivateUsingStoredState(input, true, true, mgr);
            assertClose(expectedOut, actualOut, segment + "output");
            Pair<Gradient, INDArray> expected = dl4j.tbpttBackpropGradient(epsilon, shape.tbpttBackwardLength(), mgr);
            Map<String, INDArray> expectedGradients = copy(expected.getFirst());
            INDArray expectedEpsilon = expected.getSecond().dup();
            Pair<Gradient, INDArray> actual = fused.tbpttBackpropGradient(epsilon, shape.tbpttBackwardLength(), mgr);
            assertEquals(shape.runsFused(), lastPassFused(fused), segment + "the layer ran fused");
            assertGradientsClose(expectedGradients, actual.getFirst());
            assertClose(expectedEpsilon, actual.getSecond(), segment + "input gradient");
            // what MultiLayerNetwork does between segments
            for (RecurrentLayer layer : List.of(dl4j, fused)) layer.rnnSetPreviousState(layer.rnnGetTBPTTState());
        }
    }

    /**
     * Recurrent layers, then a per-step MSE output. With a forward-cache workspace, as {@link NetworkFactory} sets,
     * so that back-propagation reuses the fused layers' kept forward pass where it may.
     */
    private static MultiLayerNetwork network(Shape shape, boolean fused) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(42)
                .dataType(DataType.DOUBLE).cacheMode(CacheMode.DEVICE).weightInit(WeightInit.XAVIER)
                .updater(new Sgd(0.1)).list();
        list.layer(recurrent(shape, fused));
        if (shape.stacked()) list.layer(recurrent(shape, fused));
        list.layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                .nOut(OUT).build());
        list.setInputType(InputType.recurrent(shape.features()));
        if (shape.truncated()) {
            list.backpropType(BackpropType.TruncatedBPTT).tBPTTForwardLength(shape.tbpttLength())
                    .tBPTTBackwardLength(shape.tbpttBackwardLength());
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    private static Layer recurrent(Shape shape, boolean fused) {
        AbstractLSTM.Builder<?> b = shape.peephole() ? new GravesLSTM.Builder() : new LSTM.Builder();
        Layer layer = b.nOut(shape.units()).activation(Activation.TANH).build();
        if (fused) layer = shape.peephole() ? FusedGravesLstm.of((GravesLSTM) layer) : FusedLstm.of((LSTM) layer);
        return shape.bidirectional() ? new Bidirectional(Bidirectional.Mode.CONCAT, layer) : layer;
    }

    // ---- networks as the training job builds them, on one example

    /**
     * A network of {@link NetworkFactory} for the task, and one example: {@code inputs} features, {@code steps}
     * steps of which the first {@code length} are data and the rest padding.
     */
    record JobCase(String name, ModelSpec spec, Task task, int inputs, int steps, int length) {
        JobCase(String name, ModelSpec spec, Task task, int steps, int length) {
            this(name, spec, task, N_IN, steps, length);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static ModelSpec spec(CellType cell, List<Integer> layers, boolean bidirectional, int tbpttSteps) {
        return new ModelSpec(cell, layers, List.of(), bidirectional, 0, 0, ModelSpec.Clipping.NONE, 0,
                ModelSpec.Updater.SGD, 0.1, 1, tbpttSteps, 42, ModelSpec.Kernel.FUSED);
    }

    /** One case per axis, each changing one thing from the first. */
    static Stream<JobCase> jobCases() {
        return Stream.of(
                new JobCase("LSTM sequence classification", spec(CellType.LSTM, List.of(8), false, 0),
                        Task.CLASSIFICATION, 6, 6),
                new JobCase("peephole", spec(CellType.PEEPHOLE, List.of(8), false, 0), Task.CLASSIFICATION, 6, 6),
                new JobCase("stacked", spec(CellType.LSTM, List.of(8, 5), false, 0), Task.CLASSIFICATION, 6, 6),
                new JobCase("bidirectional", spec(CellType.LSTM, List.of(8), true, 0), Task.CLASSIFICATION, 6, 6),
                new JobCase("per-step classification", spec(CellType.LSTM, List.of(8), false, 0),
                        Task.STEP_CLASSIFICATION, 6, 6),
                new JobCase("forecast", spec(CellType.LSTM, List.of(8), false, 0), Task.FORECAST, 6, 6),
                new JobCase("truncated BPTT", spec(CellType.LSTM, List.of(8), false, 4), Task.STEP_CLASSIFICATION,
                        6, 6),
                new JobCase("padded to a mask", spec(CellType.LSTM, List.of(8), false, 0), Task.CLASSIFICATION, 6, 4),
                // synthetic control: one feature, 64 units
                new JobCase("one feature", spec(CellType.LSTM, List.of(64), false, 0), Task.CLASSIFICATION, 1, 6, 6),
                new JobCase("one unit", spec(CellType.LSTM, List.of(1), false, 0), Task.CLASSIFICATION, 6, 6),
                new JobCase("one step", spec(CellType.LSTM, List.of(8), false, 0), Task.CLASSIFICATION, 1, 1),
                new JobCase("one unit, one step, peephole, stacked", spec(CellType.PEEPHOLE, List.of(1, 1), false, 0),
                        Task.STEP_CLASSIFICATION, 1, 1));
    }

    /**
     * The defect of the report: a minibatch of one example (the remainder of a split) crashed {@code fit} with
     * the fused kernel. It must train, to what DL4J's layers train to.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jobCases")
    void aMinibatchOfOneExampleTrainsAsWithDl4jLayers(JobCase c) {
        MultiLayerNetwork fused = NetworkFactory.network(c.spec(), c.task(), c.inputs(), OUT);
        MultiLayerNetwork dl4j = NetworkFactory.network(c.spec().withKernel(ModelSpec.Kernel.DL4J), c.task(),
                c.inputs(), OUT);
        dl4j.setParams(fused.params().dup());
        DataSet example = oneExample(c, new Random(c.name().hashCode()));
        INDArray before = fused.params().dup();
        for (int i = 0; i < 2; i++) {
            fused.fit(example);
            dl4j.fit(example);
        }
        assertTrue(maxAbsDifference(before, fused.params()) > 1e-4, "training changed nothing");
        if (!c.spec().bidirectional()) {
            assertEquals(c.spec().layers().get(0) > 1, lastPassFused(fused.getLayer(0)), "the layer ran fused");
        }
        double diff = maxAbsDifference(dl4j.params(), fused.params());
        assertTrue(diff <= 1e-5, "parameters differ from DL4J's by " + diff);
    }

    private static DataSet oneExample(JobCase c, Random random) {
        INDArray x = Nd4j.zeros(DataType.FLOAT, 1, c.inputs(), c.steps());
        for (int t = 0; t < c.length(); t++) {
            for (int f = 0; f < c.inputs(); f++) x.putScalar(0, f, t, random.nextGaussian());
        }
        INDArray mask = c.length() < c.steps() ? Nd4j.zeros(DataType.FLOAT, 1, c.steps()) : null;
        if (mask != null) mask.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, c.length())).assign(1);
        INDArray y;
        if (c.task() == Task.STEP_CLASSIFICATION) {
            y = Nd4j.zeros(DataType.FLOAT, 1, OUT, c.steps());
            for (int t = 0; t < c.steps(); t++) y.putScalar(0, random.nextInt(OUT), t, 1);
        } else if (c.task() == Task.CLASSIFICATION) {
            y = Nd4j.zeros(DataType.FLOAT, 1, OUT);
            y.putScalar(0, random.nextInt(OUT), 1);
        } else {
            y = Nd4j.rand(DataType.FLOAT, 1, OUT);
        }
        return new DataSet(x, y, mask, c.task().perStep() ? mask : null);
    }

    /**
     * Inference on one example of one step, whole-sequence ({@code output}) and stepwise ({@code rnnTimeStep},
     * {@link StepwisePredictor}), gives what DL4J's layers give.
     */
    @Test
    void oneExampleOfOneStepInfersAsWithDl4jLayers() {
        Random random = new Random(5);
        for (CellType cell : CellType.values()) {
            for (Task task : Task.values()) {
                for (boolean bidirectional : task == Task.CLASSIFICATION ? new boolean[]{false, true}
                        : new boolean[]{false}) {
                    String what = cell + " " + task + (bidirectional ? " bidirectional" : "");
                    ModelSpec spec = spec(cell, List.of(7, 1), bidirectional, 0);
                    MultiLayerNetwork fused = NetworkFactory.network(spec, task, N_IN, OUT);
                    MultiLayerNetwork dl4j = NetworkFactory.network(spec.withKernel(ModelSpec.Kernel.DL4J), task,
                            N_IN, OUT);
                    dl4j.setParams(fused.params().dup());
                    double[] step = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
                    INDArray x = Nd4j.create(new double[][][]{{{step[0]}, {step[1]}, {step[2]}}}).castTo(DataType.FLOAT);
                    INDArray expected = dl4j.output(x);
                    assertClose(expected, fused.output(x), 1e-6, what + ": output");
                    if (task.perStep()) {
                        for (int t = 0; t < 3; t++) {
                            assertClose(dl4j.rnnTimeStep(x), fused.rnnTimeStep(x), 1e-6, what + ": rnnTimeStep " + t);
                        }
                    } else if (!bidirectional) {
                        double[] stepped = new StepwisePredictor(fused).step("e", step);
                        assertArrayEquals(expected.toDoubleVector(), stepped, 1e-6, what + ": stepwise");
                    }
                }
            }
        }
    }

    // ---- helpers

    private static boolean lastPassFused(org.deeplearning4j.nn.api.Layer layer) {
        if (layer instanceof LastTimeStepLayer last) layer = last.getUnderlying();
        return layer instanceof FusedLstmLayer l ? l.lastPassFused()
                : layer instanceof FusedGravesLstmLayer g && g.lastPassFused();
    }

    private static Map<String, INDArray> copy(Gradient gradient) {
        Map<String, INDArray> copy = new java.util.LinkedHashMap<>();
        gradient.gradientForVariable().forEach((k, v) -> copy.put(k, v.dup()));
        return copy;
    }

    private static void assertGradientsClose(Map<String, INDArray> expected, Gradient actual) {
        assertEquals(expected.keySet(), actual.gradientForVariable().keySet(), "gradient variables");
        double largest = 0;
        for (Map.Entry<String, INDArray> e : expected.entrySet()) {
            largest = Math.max(largest, e.getValue().amaxNumber().doubleValue());
            assertClose(e.getValue(), actual.getGradientFor(e.getKey()), "gradient " + e.getKey());
        }
        assertTrue(largest > 1e-6, "gradients too small to compare: " + largest);
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertClose(expected, actual, TOLERANCE, what);
    }

    private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double diff = maxAbsDifference(expected, actual);
        assertTrue(diff <= tolerance, what + " differs by " + diff);
    }

    private static double maxAbsDifference(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }
}
