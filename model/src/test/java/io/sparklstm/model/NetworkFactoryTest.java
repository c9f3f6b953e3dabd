package io.sparklstm.model;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

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

    private static ModelSpec pooledSpec(CellType cell, boolean bidirectional, ModelSpec.Pooling pooling,
                                        ModelSpec.Kernel kernel) {
        return new ModelSpec(cell, List.of(7, 6), List.of(5), bidirectional, 0, 0, ModelSpec.Clipping.NONE, 0,
                ModelSpec.Updater.ADAM, 0.01, 1, 0, 11, kernel, List.of(), 0, 1, pooling);
    }

    /**
     * model.pooling = mean or max: a sequence padded at its end (with junk, not zeros) and masked gets the class
     * probabilities it gets alone, so the padding counts neither in the mean nor in the maximum; the fused kernel
     * gives DL4J's outputs and parameter gradients on the same masked minibatch; and the pooled network is not
     * the last-step one.
     */
    @Test
    void aPooledClassifierReadsAMaskedSequenceAsItReadsItAloneWithEitherKernel() {
        for (ModelSpec.Pooling pooling : List.of(ModelSpec.Pooling.MEAN, ModelSpec.Pooling.MAX)) {
            for (CellType cell : List.of(CellType.LSTM, CellType.PEEPHOLE)) {
                for (boolean bidirectional : new boolean[]{false, true}) {
                    String what = pooling + " " + cell + (bidirectional ? " bidirectional" : "");
                    MultiLayerNetwork fused = NetworkFactory.network(
                            pooledSpec(cell, bidirectional, pooling, ModelSpec.Kernel.FUSED), Task.CLASSIFICATION, 3, 4);
                    MultiLayerNetwork dl4j = NetworkFactory.network(
                            pooledSpec(cell, bidirectional, pooling, ModelSpec.Kernel.DL4J), Task.CLASSIFICATION, 3, 4);
                    MultiLayerNetwork last = NetworkFactory.network(
                            pooledSpec(cell, bidirectional, ModelSpec.Pooling.LAST, ModelSpec.Kernel.DL4J),
                            Task.CLASSIFICATION, 3, 4);
                    assertEquals(fused.params().length(), last.params().length(), "pooling adds no parameters");
                    org.deeplearning4j.nn.conf.MultiLayerConfiguration conf = fused.getLayerWiseConfigurations();
                    assertEquals(conf, org.deeplearning4j.nn.conf.MultiLayerConfiguration.fromJson(conf.toJson()),
                            what + ": the configuration as saved in a bundle's network.zip reads back the same");
                    Nd4j.getRandom().setSeed(5);
                    INDArray params = Nd4j.rand(DataType.FLOAT, fused.params().shape()).subi(0.5).muli(1.6);
                    fused.setParams(params.dup());
                    dl4j.setParams(params.dup());
                    last.setParams(params.dup());

                    INDArray alone = Nd4j.rand(DataType.FLOAT, 1, 3, 5).subi(0.5);
                    INDArray batch = Nd4j.rand(DataType.FLOAT, 3, 3, 9).subi(0.5).muli(3);
                    batch.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.interval(0, 5))
                            .assign(alone.reshape(3, 5));
                    INDArray mask = Nd4j.ones(DataType.FLOAT, 3, 9);
                    mask.get(NDArrayIndex.point(0), NDArrayIndex.interval(5, 9)).assign(0);
                    mask.get(NDArrayIndex.point(2), NDArrayIndex.interval(2, 9)).assign(0);
                    INDArray expected = dl4j.output(alone);
                    for (MultiLayerNetwork net : List.of(fused, dl4j)) {
                        INDArray out = net.output(batch, false, mask, null);
                        assertArrayEquals(new long[]{3, 4}, out.shape(), what);
                        for (int c = 0; c < 4; c++) {
                            assertEquals(expected.getDouble(0, c), out.getDouble(0, c), 1e-5, what + ", class " + c);
                        }
                    }
                    INDArray fromLast = last.output(batch, false, mask, null);
                    assertTrue(fromLast.sub(dl4j.output(batch, false, mask, null)).amaxNumber().doubleValue() > 1e-3,
                            what + ": the same outputs as reading the last step");

                    INDArray labels = Nd4j.zeros(DataType.FLOAT, 3, 4);
                    for (int i = 0; i < 3; i++) labels.putScalar(i, (i + 1) % 4, 1);
                    for (MultiLayerNetwork net : List.of(fused, dl4j)) {
                        net.setLayerMaskArrays(mask, null);
                        net.setInput(batch);
                        net.setLabels(labels);
                        net.computeGradientAndScore();
                        net.clearLayerMaskArrays();
                    }
                    INDArray g = dl4j.gradient().gradient();
                    assertTrue(g.amaxNumber().doubleValue() > 1e-3, what + ": gradients too small to compare");
                    double diff = g.sub(fused.gradient().gradient()).amaxNumber().doubleValue();
                    assertTrue(diff < 1e-4, what + ": fused gradients differ from DL4J's by " + diff);

                    INDArray before = fused.params().dup();
                    org.nd4j.linalg.dataset.DataSet data = new org.nd4j.linalg.dataset.DataSet(batch, labels, mask, null);
                    for (int step = 0; step < 3; step++) fused.fit(data);
                    assertTrue(Double.isFinite(fused.score()), what);
                    assertTrue(fused.params().sub(before).norm2Number().doubleValue() > 0, what + ": no training step");
                }
            }
        }
    }

    /**
     * A sequence padded at its end and masked, alone in its minibatch, gets the parameter gradients it gets unpadded,
     * for every read-out, with and without bidirectional layers, with either kernel. DL4J's Bidirectional feeds its
     * backward half the padded minibatch reversed (padding first): before SequenceAligned the padding's state
     * reached the real steps of every layer but the last, and with a mask DL4J's LSTM still back-propagated into the
     * padded steps (bias and input-weight gradients off by up to 0.14 here).
     */
    @Test
    void paddingChangesNoGradientBidirectionalOrNot() {
        for (ModelSpec.Pooling pooling : ModelSpec.Pooling.values()) {
            for (boolean bidirectional : new boolean[]{false, true}) {
                for (ModelSpec.Kernel kernel : List.of(ModelSpec.Kernel.FUSED, ModelSpec.Kernel.DL4J)) {
                    String what = pooling + (bidirectional ? " bidirectional " : " ") + kernel;
                    MultiLayerNetwork net = NetworkFactory.network(pooledSpec(CellType.LSTM, bidirectional, pooling,
                            kernel), Task.CLASSIFICATION, 3, 4);
                    Nd4j.getRandom().setSeed(5);
                    net.setParams(Nd4j.rand(DataType.FLOAT, net.params().shape()).subi(0.5).muli(1.6));
                    INDArray alone = Nd4j.rand(DataType.FLOAT, 1, 3, 5).subi(0.5);
                    INDArray padded = Nd4j.rand(DataType.FLOAT, 1, 3, 9).muli(3);
                    padded.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 5)).assign(alone);
                    INDArray mask = Nd4j.ones(DataType.FLOAT, 1, 9);
                    mask.get(NDArrayIndex.point(0), NDArrayIndex.interval(5, 9)).assign(0);
                    INDArray labels = Nd4j.zeros(DataType.FLOAT, 1, 4);
                    labels.putScalar(0, 2, 1);
                    net.setInput(alone);
                    net.setLabels(labels);
                    net.computeGradientAndScore();
                    INDArray expected = net.gradient().gradient().dup();
                    double expectedScore = net.score();
                    net.setLayerMaskArrays(mask, null);
                    net.setInput(padded);
                    net.setLabels(labels);
                    net.computeGradientAndScore();
                    net.clearLayerMaskArrays();
                    assertEquals(expectedScore, net.score(), 1e-6, what + ": loss");
                    double diff = expected.sub(net.gradient().gradient()).amaxNumber().doubleValue();
                    assertTrue(diff < 1e-6, what + ": the padding moved a gradient by " + diff);
                }
            }
        }
    }

    @Test
    void poolingIsRefusedOutsideSequenceClassificationNamingTheKey() {
        for (Task task : List.of(Task.FORECAST, Task.STEP_CLASSIFICATION)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> NetworkFactory.configuration(pooledSpec(CellType.LSTM, false, ModelSpec.Pooling.MEAN,
                            ModelSpec.Kernel.AUTO).withKernel(ModelSpec.Kernel.AUTO), task, 2, 2));
            assertTrue(e.getMessage().startsWith("model.pooling = mean is only valid for sequence classification"),
                    e.getMessage());
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
