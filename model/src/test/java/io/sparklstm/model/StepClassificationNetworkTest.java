package io.sparklstm.model;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-step classifier of a character language model: shapes, stepping, and its loss in nats. */
class StepClassificationNetworkTest {

    private static final int VOCAB = 7;
    private static final int STEPS = 12;

    private static ModelSpec spec(int tbpttSteps) {
        return new ModelSpec(CellType.LSTM, List.of(10, 8), List.of(), false, 0.2, 0, ModelSpec.Clipping.NORM, 1.0,
                ModelSpec.Updater.ADAM, 0.01, 1.0, tbpttSteps, 7L);
    }

    /** One-hot {@code [batch, VOCAB, steps]} of random class indices. */
    private static INDArray oneHot(int[][] classes) {
        INDArray a = Nd4j.zeros(DataType.FLOAT, classes.length, VOCAB, classes[0].length);
        for (int i = 0; i < classes.length; i++) {
            for (int t = 0; t < classes[i].length; t++) a.putScalar(new int[]{i, classes[i][t], t}, 1f);
        }
        return a;
    }

    private static int[][] randomClasses(int batch, int steps, long seed) {
        Random r = new Random(seed);
        int[][] c = new int[batch][steps];
        for (int[] row : c) for (int t = 0; t < steps; t++) row[t] = r.nextInt(VOCAB);
        return c;
    }

    @Test
    void outputsClassProbabilitiesAtEveryStep() {
        MultiLayerNetwork net = NetworkFactory.network(spec(0), Task.STEP_CLASSIFICATION, VOCAB, VOCAB);
        INDArray out = net.output(oneHot(randomClasses(3, STEPS, 1)));
        assertArrayEquals(new long[]{3, VOCAB, STEPS}, out.shape());
        INDArray sums = out.sum(1);
        for (int i = 0; i < 3; i++) {
            for (int t = 0; t < STEPS; t++) assertEquals(1.0, sums.getDouble(i, t), 1e-5);
        }
    }

    @Test
    void steppingOneCharacterAtATimeEqualsTheWholeSequence() {
        MultiLayerNetwork net = NetworkFactory.network(spec(0), Task.STEP_CLASSIFICATION, VOCAB, VOCAB);
        INDArray input = oneHot(randomClasses(2, STEPS, 2));
        INDArray whole = net.output(input);
        net.rnnClearPreviousState();
        for (int t = 0; t < STEPS; t++) {
            INDArray step = net.rnnTimeStep(input.get(NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.interval(t, t + 1)));
            INDArray expected = whole.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t));
            INDArray got = step.rank() == 3 ? step.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(0))
                    : step;
            assertTrue(expected.equalsWithEps(got, 1e-5), "step " + t + ": " + expected + " vs " + got);
        }
    }

    @Test
    void trainsWithTruncatedBackPropagationAndLowersTheLoss() {
        MultiLayerNetwork net = NetworkFactory.network(spec(4), Task.STEP_CLASSIFICATION, VOCAB, VOCAB);
        // a text that cycles through the vocabulary: the next class is always predictable
        int[][] input = new int[4][STEPS];
        int[][] next = new int[4][STEPS];
        for (int i = 0; i < 4; i++) {
            for (int t = 0; t < STEPS; t++) {
                input[i][t] = (i + t) % VOCAB;
                next[i][t] = (i + t + 1) % VOCAB;
            }
        }
        DataSet data = new DataSet(oneHot(input), oneHot(next));
        double before = StepCrossEntropy.of(net.output(data.getFeatures()), data.getLabels(), null).mean();
        for (int i = 0; i < 40; i++) net.fit(data);
        double after = StepCrossEntropy.of(net.output(data.getFeatures()), data.getLabels(), null).mean();
        assertEquals(Math.log(VOCAB), before, 0.3, "an untrained network is about a uniform guess");
        assertTrue(after < 0.75 * before, "loss " + before + " -> " + after);
    }

    @Test
    void crossEntropyIsMeanNatsPerUnmaskedStep() {
        INDArray labels = oneHot(new int[][]{{0, 1}});
        INDArray probabilities = Nd4j.zeros(DataType.FLOAT, 1, VOCAB, 2);
        probabilities.putScalar(new int[]{0, 0, 0}, 0.5f);
        probabilities.putScalar(new int[]{0, 3, 0}, 0.5f);
        probabilities.putScalar(new int[]{0, 1, 1}, 0.25f);
        probabilities.putScalar(new int[]{0, 2, 1}, 0.75f);
        StepCrossEntropy all = StepCrossEntropy.of(probabilities, labels, null);
        assertEquals(2, all.steps());
        assertEquals((Math.log(2) + Math.log(4)) / 2, all.mean(), 1e-6);
        StepCrossEntropy first = StepCrossEntropy.of(probabilities, labels,
                Nd4j.create(new float[]{1, 0}, new long[]{1, 2}));
        assertEquals(1, first.steps());
        assertEquals(Math.log(2), first.mean(), 1e-6);
    }

    @Test
    void denseLayersAndBidirectionalAreRejectedForPerStepOutput() {
        ModelSpec dense = new ModelSpec(CellType.LSTM, List.of(4), List.of(3), false, 0, 0, ModelSpec.Clipping.NONE,
                0, ModelSpec.Updater.ADAM, 0.01, 1.0, 0, 1L);
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> NetworkFactory.configuration(dense, Task.STEP_CLASSIFICATION, 3, 3)).getMessage()
                .contains("model.denseLayers"));
        ModelSpec bidirectional = new ModelSpec(CellType.LSTM, List.of(4), List.of(), true, 0, 0,
                ModelSpec.Clipping.NONE, 0, ModelSpec.Updater.ADAM, 0.01, 1.0, 0, 1L);
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> NetworkFactory.configuration(bidirectional, Task.STEP_CLASSIFICATION, 3, 3)).getMessage()
                .contains("model.bidirectional"));
    }
}
