package io.sparklstm.model;

import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stepping must reproduce {@code network.output()} on every prefix, per entity. */
class StepwisePredictorTest {

    private static final int INPUTS = 3;
    private static final int STEPS = 10;
    private static final double TOLERANCE = 1e-5;

    static Stream<Arguments> networks() {
        return Stream.of(CellType.values())
                // per-step networks have no LastTimeStep and step with rnnTimeStep itself (StepClassificationNetworkTest)
                .flatMap(cell -> Stream.of(Task.values()).filter(task -> !task.perStep())
                        .map(task -> Arguments.of(cell, task)));
    }

    @ParameterizedTest
    @MethodSource("networks")
    void steppingMatchesTheWholeSequenceOutputOnEveryPrefix(CellType cell, Task task) {
        MultiLayerNetwork net = network(cell, task);
        StepwisePredictor predictor = new StepwisePredictor(net);
        double[][] sequence = sequence(new Random(5L));
        double[] previous = null;
        for (int t = 0; t < STEPS; t++) {
            double[] stepped = predictor.step("a", sequence[t]);
            assertArrayEquals(output(net, sequence, t + 1), stepped, TOLERANCE, cell + " " + task + " step " + t);
            assertFalse(Arrays.equals(previous, stepped), "the output moves with each step");
            previous = stepped;
        }
        assertTrue(net.rnnGetPreviousState(0).isEmpty(), "the caller's network is not stepped");
    }

    @Test
    void severalStepsAtOnceEqualOneAtATime() {
        MultiLayerNetwork net = network(CellType.PEEPHOLE, Task.FORECAST);
        StepwisePredictor predictor = new StepwisePredictor(net);
        double[][] sequence = sequence(new Random(6L));
        StepwisePredictor.State state = predictor.newState();
        double[] out = predictor.step(state, Arrays.copyOfRange(sequence, 0, 4));
        assertEquals(4, state.steps());
        assertArrayEquals(output(net, sequence, 4), out, TOLERANCE);
        out = predictor.step(state, Arrays.copyOfRange(sequence, 4, STEPS));
        assertEquals(STEPS, state.steps());
        assertArrayEquals(output(net, sequence, STEPS), out, TOLERANCE);
        assertEquals(0, predictor.entityCount(), "a caller-held state is not kept in the predictor");
    }

    @Test
    void interleavedEntitiesKeepIndependentStatesAndResetStartsOver() {
        MultiLayerNetwork net = network(CellType.LSTM, Task.CLASSIFICATION);
        StepwisePredictor predictor = new StepwisePredictor(net);
        double[][] a = sequence(new Random(7L));
        double[][] b = sequence(new Random(8L));
        double[][] firstRunOfA = new double[STEPS][];
        for (int t = 0; t < STEPS; t++) {
            firstRunOfA[t] = predictor.step("a", a[t]);
            assertArrayEquals(output(net, a, t + 1), firstRunOfA[t], TOLERANCE, "a at step " + t);
            assertArrayEquals(output(net, b, t + 1), predictor.step("b", b[t]), TOLERANCE, "b at step " + t);
        }
        assertEquals(2, predictor.entityCount());

        assertTrue(predictor.reset("a"));
        assertFalse(predictor.reset("a"));
        assertEquals(1, predictor.entityCount());
        for (int t = 0; t < 3; t++) {
            assertArrayEquals(firstRunOfA[t], predictor.step("a", a[t]), TOLERANCE, "a again at step " + t);
        }
        // b was not disturbed by a's reset: it continues its own sequence.
        double[][] bLonger = Arrays.copyOf(b, STEPS + 1);
        bLonger[STEPS] = a[0];
        assertArrayEquals(output(net, bLonger, STEPS + 1), predictor.step("b", a[0]), TOLERANCE);
    }

    @Test
    void bidirectionalNetworksAreRejected() {
        ModelSpec spec = new ModelSpec(CellType.LSTM, List.of(4, 3), List.of(), true, 0, 0, ModelSpec.Clipping.NONE,
                0, ModelSpec.Updater.ADAM, 0.01, 1.0, 0, 1L);
        MultiLayerNetwork net = NetworkFactory.network(spec, Task.CLASSIFICATION, INPUTS, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StepwisePredictor(net));
        assertTrue(e.getMessage().contains("bidirectional"), e.getMessage());
    }

    @Test
    void networksPooledOverTheStepsAreRejectedNamingTheKey() {
        ModelSpec spec = new ModelSpec(CellType.LSTM, List.of(4), List.of(), false, 0, 0, ModelSpec.Clipping.NONE,
                0, ModelSpec.Updater.ADAM, 0.01, 1.0, 0, 1L, ModelSpec.Kernel.AUTO, List.of(), 0, 1,
                ModelSpec.Pooling.MAX);
        MultiLayerNetwork net = NetworkFactory.network(spec, Task.CLASSIFICATION, INPUTS, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StepwisePredictor(net));
        assertTrue(e.getMessage().contains("(model.pooling = mean or max) cannot be stepped"), e.getMessage());
    }

    @Test
    void networksWithAConvolutionFrontEndAreRejectedSayingWhy() {
        ModelSpec spec = new ModelSpec(CellType.LSTM, List.of(4), List.of(), false, 0, 0, ModelSpec.Clipping.NONE,
                0, ModelSpec.Updater.ADAM, 0.01, 1.0, 0, 1L, ModelSpec.Kernel.AUTO, List.of(3), 3);
        MultiLayerNetwork net = NetworkFactory.network(spec, Task.CLASSIFICATION, INPUTS, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StepwisePredictor(net));
        assertTrue(e.getMessage().contains("convolution front end (model.convLayers) cannot be stepped"),
                e.getMessage());
    }

    @Test
    void aStepOfTheWrongWidthIsRejectedWithoutCreatingTheEntity() {
        StepwisePredictor predictor = new StepwisePredictor(network(CellType.LSTM, Task.FORECAST));
        assertEquals(INPUTS, predictor.inputs());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> predictor.step("a", new double[INPUTS + 1]));
        assertTrue(e.getMessage().contains("expected " + INPUTS), e.getMessage());
        assertEquals(0, predictor.entityCount());
    }

    /**
     * Why this class exists: DL4J's own rnnTimeStep steps the layer inside LastTimeStep, bypassing it, so the
     * dense layer after it gets the 3-d activations. If a DL4J upgrade fixes this, this test says so.
     */
    @Test
    void dl4jRnnTimeStepCannotStepTheFactoryNetwork() {
        MultiLayerNetwork net = network(CellType.LSTM, Task.CLASSIFICATION);
        DL4JInvalidInputException e = assertThrows(DL4JInvalidInputException.class,
                () -> net.rnnTimeStep(Nd4j.rand(DataType.FLOAT, 1, INPUTS)));
        assertTrue(e.getMessage().contains("rank 3"), e.getMessage());
    }

    /** A factory network with every parameter random, so that biases and peepholes all matter. */
    private static MultiLayerNetwork network(CellType cell, Task task) {
        int outputs = task.isClassification() ? 4 : 6;
        MultiLayerNetwork net = NetworkFactory.network(TestSpecs.small(cell), task, INPUTS, outputs);
        Random random = new Random(cell.ordinal() * 2L + task.ordinal());
        float[] params = new float[Math.toIntExact(net.numParams())];
        for (int i = 0; i < params.length; i++) {
            params[i] = (random.nextFloat() * 2 - 1) * 0.8f;
        }
        net.setParams(Nd4j.create(params).reshape(1, params.length));
        return net;
    }

    /** {@code [steps][features]} in [-1, 1]. */
    private static double[][] sequence(Random random) {
        double[][] xs = new double[STEPS][INPUTS];
        for (double[] x : xs) {
            for (int f = 0; f < INPUTS; f++) x[f] = random.nextDouble() * 2 - 1;
        }
        return xs;
    }

    /** {@code network.output()} on the first {@code length} steps. */
    private static double[] output(MultiLayerNetwork net, double[][] sequence, int length) {
        INDArray features = Nd4j.create(DataType.FLOAT, 1, INPUTS, length);
        for (int t = 0; t < length; t++) {
            for (int f = 0; f < INPUTS; f++) features.putScalar(0, f, t, sequence[t][f]);
        }
        return net.output(features).toDoubleVector();
    }
}
