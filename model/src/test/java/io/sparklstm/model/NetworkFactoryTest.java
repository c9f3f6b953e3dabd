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

    private static ModelSpec convSpec(List<Integer> filters, int kernelSteps, ModelSpec.Kernel kernel) {
        return new ModelSpec(CellType.LSTM, List.of(6), List.of(), false, 0.2, 0, ModelSpec.Clipping.NONE, 0,
                ModelSpec.Updater.ADAM, 0.01, 1, 0, 7, kernel, filters, kernelSteps);
    }

    /**
     * A sequence padded at its end and masked gets the class probabilities it gets alone: the convolutions keep
     * the length and pass the mask on, and each reads zeros past the sequence's end, as same-mode convolution
     * does at an end: the exporter pads with zeros, and the first convolution's output there is zeroed before the
     * second reads it (the second once read it as it was).
     */
    @Test
    void aConvolutionFrontEndKeepsMaskedSequencesApartFromTheirPadding() {
        for (ModelSpec.Kernel kernel : List.of(ModelSpec.Kernel.FUSED, ModelSpec.Kernel.DL4J)) {
            MultiLayerNetwork net = NetworkFactory.network(convSpec(List.of(8, 5), 3, kernel), Task.CLASSIFICATION,
                    3, 4);
            INDArray alone = Nd4j.rand(DataType.FLOAT, 1, 3, 5);
            INDArray padded = Nd4j.zeros(DataType.FLOAT, 2, 3, 9);
            padded.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 5)).assign(alone.reshape(3, 5));
            padded.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()).assign(Nd4j.rand(DataType.FLOAT, 3, 9));
            INDArray mask = Nd4j.ones(DataType.FLOAT, 2, 9);
            for (int t = 5; t < 9; t++) mask.putScalar(0, t, 0);
            INDArray expected = net.output(alone);
            INDArray out = net.output(padded, false, mask, null);
            assertArrayEquals(new long[]{2, 4}, out.shape());
            for (int c = 0; c < 4; c++) {
                assertEquals(expected.getDouble(0, c), out.getDouble(0, c), 1e-5, kernel + ", class " + c);
            }
            INDArray labels = Nd4j.zeros(DataType.FLOAT, 2, 4);
            labels.putScalar(0, 1, 1);
            labels.putScalar(1, 3, 1);
            org.nd4j.linalg.dataset.DataSet batch = new org.nd4j.linalg.dataset.DataSet(padded, labels, mask, null);
            INDArray before = net.params().dup();
            for (int step = 0; step < 3; step++) net.fit(batch);
            assertTrue(Double.isFinite(net.score()), kernel.toString());
            assertTrue(net.params().sub(before).norm2Number().doubleValue() > 0, kernel + ": no training step");
            // a minibatch of sequences of one length has no mask: the layer that applies masks passes it through
            net.fit(new org.nd4j.linalg.dataset.DataSet(padded, labels));
            assertTrue(Double.isFinite(net.score()), kernel + ", no mask");
        }
    }

    @Test
    void convolutionsAreRefusedOutsideSequenceClassificationNamingTheKey() {
        ModelSpec spec = convSpec(List.of(4), 3, ModelSpec.Kernel.AUTO);
        for (Task task : List.of(Task.FORECAST, Task.STEP_CLASSIFICATION)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> NetworkFactory.configuration(spec, task, 2, 2));
            assertTrue(e.getMessage().startsWith("model.convLayers = [4] is only valid for sequence classification"),
                    e.getMessage());
        }
    }

    @Test
    void anEvenOrMissingConvolutionKernelOrAnEmptyFilterCountIsRefusedNamingTheKey() {
        for (int steps : new int[]{0, 4, -1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> convSpec(List.of(4), steps, ModelSpec.Kernel.AUTO));
            assertTrue(e.getMessage().startsWith("model.convKernel = " + steps), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> convSpec(List.of(4, 0), 3, ModelSpec.Kernel.AUTO));
        assertTrue(e.getMessage().startsWith("model.convLayers = [4, 0]"), e.getMessage());
        assertEquals(List.of(), convSpec(List.of(), 0, ModelSpec.Kernel.AUTO).convLayers(),
                "a spec without convolutions (an older bundle's) needs no kernel size");
    }

    @Test
    void sameSeedGivesSameInitialWeights() {
        MultiLayerNetwork a = NetworkFactory.network(TestSpecs.small(CellType.LSTM), Task.CLASSIFICATION, 3, 4);
        MultiLayerNetwork b = NetworkFactory.network(TestSpecs.small(CellType.LSTM), Task.CLASSIFICATION, 3, 4);
        assertEquals(a.params(), b.params());
    }
}
