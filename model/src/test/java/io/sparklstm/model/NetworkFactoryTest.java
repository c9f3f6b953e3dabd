package io.sparklstm.model;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetworkFactoryTest {

    @Test
    void classifierMapsASequenceToClassProbabilities() {
        MultiLayerNetwork net = NetworkFactory.network(TestSpecs.small(CellType.LSTM), Task.CLASSIFICATION, 3, 4);
        INDArray out = net.output(Nd4j.rand(DataType.FLOAT, 5, 3, 11));
        assertArrayEquals(new long[]{5, 4}, out.shape());
        INDArray rowSums = out.sum(1);
        for (int i = 0; i < 5; i++) {
            assertEquals(1.0, rowSums.getDouble(i), 1e-5);
        }
    }

    /**
     * Dropout on a second recurrent layer, the last one read at its last step: DL4J 1.0.0-M2.1 lost or misshaped
     * the dropout mask of a layer inside LastTimeStep ("Dropout mask array is absent", with masks "Op [multiply]
     * execution failed") with either kernel, so training any stacked classifier with dropout failed.
     */
    @Test
    void aStackedClassifierWithDropoutTrainsOnMaskedSequencesWithEitherKernel() {
        for (ModelSpec.Kernel kernel : List.of(ModelSpec.Kernel.FUSED, ModelSpec.Kernel.DL4J)) {
            for (CellType cell : List.of(CellType.LSTM, CellType.PEEPHOLE)) {
                ModelSpec spec = new ModelSpec(cell, List.of(6, 5, 4), List.of(), false, 0.3, 0,
                        ModelSpec.Clipping.NONE, 0, ModelSpec.Updater.ADAM, 0.01, 1, 0, 7, kernel);
                MultiLayerNetwork net = NetworkFactory.network(spec, Task.CLASSIFICATION, 3, 4);
                INDArray features = Nd4j.rand(DataType.FLOAT, 4, 3, 9);
                INDArray mask = Nd4j.ones(DataType.FLOAT, 4, 9);
                for (int t = 5; t < 9; t++) mask.putScalar(1, t, 0);
                for (int t = 2; t < 9; t++) mask.putScalar(3, t, 0);
                INDArray labels = Nd4j.zeros(DataType.FLOAT, 4, 4);
                for (int i = 0; i < 4; i++) labels.putScalar(i, i % 4, 1);
                org.nd4j.linalg.dataset.DataSet batch = new org.nd4j.linalg.dataset.DataSet(features, labels, mask, null);
                for (int step = 0; step < 3; step++) net.fit(batch);
                assertTrue(Double.isFinite(net.score()), kernel + " " + cell);
                assertArrayEquals(new long[]{4, 4}, net.output(features, false, mask, null).shape());
            }
        }
    }

    @Test
    void forecasterOutputsHorizonTimesTargets() {
        MultiLayerNetwork net = NetworkFactory.network(TestSpecs.small(CellType.PEEPHOLE), Task.FORECAST, 7, 24 * 7);
        INDArray out = net.output(Nd4j.rand(DataType.FLOAT, 2, 7, 20));
        assertArrayEquals(new long[]{2, 168}, out.shape());
    }

    @Test
    void bidirectionalForecastIsRejected() {
        ModelSpec spec = new ModelSpec(CellType.LSTM, List.of(4), List.of(), true, 0, 0, ModelSpec.Clipping.NONE, 0,
                ModelSpec.Updater.ADAM, 0.01, 1.0, 0, 1L);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NetworkFactory.configuration(spec, Task.FORECAST, 2, 2));
        assertTrue(e.getMessage().contains("model.bidirectional"), e.getMessage());
    }

    @Test
    void invalidSpecNamesTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ModelSpec(
                CellType.LSTM, List.of(4), List.of(), false, 1.5, 0, ModelSpec.Clipping.NONE, 0,
                ModelSpec.Updater.ADAM, 0.01, 1.0, 0, 1L));
        assertTrue(e.getMessage().startsWith("model.dropout = 1.5"), e.getMessage());
    }

    @Test
    void sameSeedGivesSameInitialWeights() {
        MultiLayerNetwork a = NetworkFactory.network(TestSpecs.small(CellType.LSTM), Task.CLASSIFICATION, 3, 4);
        MultiLayerNetwork b = NetworkFactory.network(TestSpecs.small(CellType.LSTM), Task.CLASSIFICATION, 3, 4);
        assertEquals(a.params(), b.params());
    }
}
