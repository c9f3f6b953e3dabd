package io.sparklstm.model;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnsembleTest {

    /** No dropout and no weight penalty: DL4J's score is then the loss alone. */
    private static final ModelSpec PLAIN = new ModelSpec(CellType.LSTM, List.of(6), List.of(), false, 0.0, 0.0,
            ModelSpec.Clipping.NONE, 0.0, ModelSpec.Updater.ADAM, 0.01, 1.0, 0, 3L);

    private static MultiLayerNetwork network(ModelSpec spec, Task task, int outputs) {
        return NetworkFactory.network(spec, task, 2, outputs);
    }

    private static INDArray input() {
        Nd4j.getRandom().setSeed(11);
        return Nd4j.rand(DataType.FLOAT, 5, 2, 7);
    }

    @Test
    void theEnsemblesProbabilitiesAreTheMeanOfTheMembers() {
        ModelSpec spec = TestSpecs.ensemble(PLAIN, 3);
        List<MultiLayerNetwork> members = List.of(network(spec.member(0), Task.CLASSIFICATION, 4),
                network(spec.member(1), Task.CLASSIFICATION, 4), network(spec.member(2), Task.CLASSIFICATION, 4));
        INDArray x = input();
        INDArray mask = Nd4j.ones(DataType.FLOAT, 5, 7);
        mask.putScalar(new long[]{0, 6}, 0);
        mask.putScalar(new long[]{0, 5}, 0);

        double[][] combined = new Ensemble(members).output(x, mask, null).toDoubleMatrix();

        double[][][] each = new double[3][][];
        for (int k = 0; k < 3; k++) each[k] = members.get(k).output(x, false, mask, null).toDoubleMatrix();
        assertNotEquals(each[0][0][0], each[1][0][0], "members with other seeds give other outputs");
        for (int i = 0; i < 5; i++) {
            double[] mean = new double[4];
            for (int j = 0; j < 4; j++) mean[j] = (each[0][i][j] + each[1][i][j] + each[2][i][j]) / 3;
            assertArrayEquals(mean, combined[i], 1e-6);
            double sum = 0;
            for (double p : combined[i]) sum += p;
            assertEquals(1.0, sum, 1e-5, "the mean of probabilities is a probability distribution");
        }
    }

    @Test
    void oneMembersOutputIsItsNetworksOwn() {
        MultiLayerNetwork net = network(PLAIN, Task.FORECAST, 3);
        INDArray x = input();
        assertEquals(net.output(x, false, null, null), Ensemble.of(net).output(x, null, null));
        assertSame(net, Ensemble.of(net).single("anything"));
    }

    @Test
    void membersTakeTheSeedsFromModelSeedOn() {
        ModelSpec spec = TestSpecs.ensemble(PLAIN, 3);
        assertEquals(List.of(3L, 4L, 5L), List.of(spec.member(0).seed(), spec.member(1).seed(), spec.member(2).seed()));
        assertEquals(1, spec.member(2).ensembleMembers());
        assertEquals(PLAIN, TestSpecs.ensemble(PLAIN, 1).member(0));
        assertThrows(IllegalArgumentException.class, () -> spec.member(3));
    }

    @Test
    void theLossOfOneNetworksOutputIsWhatDl4jScores() {
        INDArray x = input();
        INDArray classes = Nd4j.zeros(DataType.FLOAT, 5, 4);
        for (int i = 0; i < 5; i++) classes.putScalar(i, i % 4, 1);
        MultiLayerNetwork classifier = network(PLAIN, Task.CLASSIFICATION, 4);
        assertEquals(classifier.score(new DataSet(x, classes), false),
                Ensemble.meanLoss(classifier.output(x), classes, Task.CLASSIFICATION), 1e-5);

        Nd4j.getRandom().setSeed(5);
        INDArray targets = Nd4j.rand(DataType.FLOAT, 5, 3);
        MultiLayerNetwork forecaster = network(PLAIN, Task.FORECAST, 3);
        assertEquals(forecaster.score(new DataSet(x, targets), false),
                Ensemble.meanLoss(forecaster.output(x), targets, Task.FORECAST), 1e-5);
    }

    @Test
    void aUseOfOneNetworkRefusesAnEnsembleNamingTheSetting() {
        ModelSpec spec = TestSpecs.ensemble(PLAIN, 2);
        Ensemble two = new Ensemble(List.of(network(spec.member(0), Task.FORECAST, 3),
                network(spec.member(1), Task.FORECAST, 3)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> two.single("stepping"));
        assertTrue(e.getMessage().contains("stepping") && e.getMessage().contains("model.ensembleMembers = 2"),
                e.getMessage());
    }

    @Test
    void ensembleMembersMustBePositiveAndReadsZeroAsOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TestSpecs.ensemble(PLAIN, -1));
        assertTrue(e.getMessage().startsWith("model.ensembleMembers = -1 is invalid"), e.getMessage());
        assertEquals(1, TestSpecs.ensemble(PLAIN, 0).ensembleMembers());
    }
}
