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
