package io.sparklstm.model.fused;

import io.sparklstm.model.CellType;
import io.sparklstm.model.ModelSpec;
import io.sparklstm.model.NetworkFactory;
import io.sparklstm.model.Task;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.AbstractLSTM;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused layers against DL4J's own LSTM and GravesLSTM: the same parameters must give the same outputs,
 * the same parameter gradients (which also carry every input gradient of the layer above) and, trained, the
 * same network, or fall back to DL4J's code where the op does not apply.
 */
class FusedLstmTest {

    private static final int N_IN = 5;
    private static final int MINIBATCH = 4;
    private static final int STEPS = 9;
    private static final int OUT = 3;

    /** Two stacked recurrent layers (7 and 6 units) and a per-step MSE output. */
    private static MultiLayerNetwork network(boolean fused, boolean peephole, boolean bidirectional, DataType type) {
        return network(fused, fused, peephole, bidirectional, type, 1.0);
    }

    /** @param retain the probability of keeping each input of both recurrent layers */
    private static MultiLayerNetwork network(boolean fusedFirst, boolean fusedSecond, boolean peephole,
                                             boolean bidirectional, DataType type, double retain) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(42).dataType(type)
                .weightInit(WeightInit.XAVIER).updater(new Adam(0.01)).list();
        list.layer(recurrent(fusedFirst, peephole, bidirectional, 7, retain));
        list.layer(recurrent(fusedSecond, peephole, bidirectional, 6, retain));
        list.layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                .nOut(OUT).build());
        list.setInputType(InputType.recurrent(N_IN));
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    private static Layer recurrent(boolean fused, boolean peephole, boolean bidirectional, int units, double retain) {
        AbstractLSTM.Builder<?> b = peephole ? new GravesLSTM.Builder() : new LSTM.Builder();
        b.nOut(units).activation(Activation.TANH);
        if (retain < 1) b.dropOut(retain);
        Layer layer = b.build();
        if (fused) layer = peephole ? FusedGravesLstm.of((GravesLSTM) layer) : FusedLstm.of((LSTM) layer);
        return bidirectional ? new Bidirectional(Bidirectional.Mode.CONCAT, layer) : layer;
    }

    /** Parameters with every forget bias moved off DL4J's initial 1.0 and random peepholes, shared by both. */
    private static void sameRandomParameters(MultiLayerNetwork dl4j, MultiLayerNetwork fused, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray p = Nd4j.rand(dl4j.params().dataType(), dl4j.params().shape()).subi(0.5).muli(1.6);
        dl4j.setParams(p.dup());
        fused.setParams(p.dup());
    }

    private static INDArray input(DataType type, long seed) {
        Nd4j.getRandom().setSeed(seed);
        // DL4J hands recurrent layers 'f'-ordered activations; the op must read them right
        return Nd4j.rand(type, MINIBATCH, N_IN, STEPS).subi(0.5).muli(2).dup('f');
    }

    private static double maxAbsDifference(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }

    @Test
    void outputsAndGradientsMatchDl4jInDoublePrecision() {
        for (boolean peephole : new boolean[]{false, true}) {
            for (boolean bidirectional : new boolean[]{false, true}) {
                String what = (peephole ? "GravesLSTM" : "LSTM") + (bidirectional ? ", bidirectional" : "");
                MultiLayerNetwork dl4j = network(false, peephole, bidirectional, DataType.DOUBLE);
                MultiLayerNetwork fused = network(true, peephole, bidirectional, DataType.DOUBLE);
                sameRandomParameters(dl4j, fused, 7);
                INDArray x = input(DataType.DOUBLE, 8);
                INDArray y = Nd4j.rand(DataType.DOUBLE, MINIBATCH, OUT, STEPS);

                INDArray expected = dl4j.output(x);
                INDArray actual = fused.output(x);
                assertTrue(maxAbsDifference(expected, actual) <= 1e-10, what + ": outputs differ by "
                        + maxAbsDifference(expected, actual));
                if (!bidirectional) {
                    assertTrue(((FusedStatus) () -> fused.getLayer(0)).fused(), what + ": the fused op was not used");
                }

                for (MultiLayerNetwork net : List.of(dl4j, fused)) {
                    net.setInput(x);
                    net.setLabels(y);
                    net.computeGradientAndScore();
                }
                assertEquals(dl4j.score(), fused.score(), 1e-12, what + ": loss");
                INDArray g0 = dl4j.gradient().gradient();
                INDArray g1 = fused.gradient().gradient();
                assertTrue(g0.amaxNumber().doubleValue() > 1e-3, what + ": gradients too small to compare");
                assertTrue(maxAbsDifference(g0, g1) <= 1e-10, what + ": gradients differ by " + maxAbsDifference(g0, g1));
            }
        }
    }

    /**
     * Truncated BPTT carries the state from one segment to the next and back-propagates through the last
     * {@code backward} steps of each: a 9-step sequence in segments of 4 (4, 4, 1) is three updates, and the
     * fused layers must make the same three, for a backward length equal to the segment and a shorter one.
     */
    @Test
    void truncatedBpttTrainsLikeDl4j() {
        for (boolean peephole : new boolean[]{false, true}) {
            for (int backward : new int[]{4, 3}) {
                String what = (peephole ? "GravesLSTM" : "LSTM") + ", backward length " + backward;
                MultiLayerNetwork dl4j = truncated(false, peephole, backward);
                MultiLayerNetwork fused = truncated(true, peephole, backward);
                sameRandomParameters(dl4j, fused, 21);
                INDArray x = input(DataType.DOUBLE, 22);
                INDArray y = Nd4j.rand(DataType.DOUBLE, MINIBATCH, OUT, STEPS);
                INDArray before = dl4j.params().dup();
                for (int i = 0; i < 2; i++) {
                    dl4j.fit(new DataSet(x, y));
                    fused.fit(new DataSet(x, y));
                }
                assertTrue(maxAbsDifference(before, dl4j.params()) > 1e-3, what + ": training changed nothing");
                assertTrue(((FusedStatus) () -> fused.getLayer(0)).fused(), what + ": the fused code was not used");
                assertTrue(maxAbsDifference(dl4j.params(), fused.params()) <= 1e-9, what + ": parameters differ by "
                        + maxAbsDifference(dl4j.params(), fused.params()));
            }
        }
    }

    private static MultiLayerNetwork truncated(boolean fused, boolean peephole, int backward) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(42)
                .dataType(DataType.DOUBLE).weightInit(WeightInit.XAVIER).updater(new Adam(0.01)).list();
        list.layer(recurrent(fused, peephole, false, 7, 1.0));
        list.layer(recurrent(fused, peephole, false, 6, 1.0));
        list.layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                .nOut(OUT).build());
        list.setInputType(InputType.recurrent(N_IN));
        list.backpropType(org.deeplearning4j.nn.conf.BackpropType.TruncatedBPTT).tBPTTForwardLength(4)
                .tBPTTBackwardLength(backward);
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    /**
     * Dropout draws its mask in the memory order of the layer's input, and DL4J's layers hand on 'f'-ordered
     * outputs where the op writes 'c': so that both networks drop the same activations, the first layer is
     * DL4J's in both and only the second (whose input dropout and its back-propagation are checked) differs.
     */
    @Test
    void trainingInSinglePrecisionFollowsDl4jWithDropout() {
        for (boolean peephole : new boolean[]{false, true}) {
            MultiLayerNetwork dl4j = network(false, false, peephole, false, DataType.FLOAT, 0.8);
            MultiLayerNetwork fused = network(false, true, peephole, false, DataType.FLOAT, 0.8);
            sameRandomParameters(dl4j, fused, 11);
            INDArray x = input(DataType.FLOAT, 12);
            INDArray y = Nd4j.rand(DataType.FLOAT, MINIBATCH, OUT, STEPS);
            double first = 0;
            for (int i = 0; i < 30; i++) {
                // the same dropout masks for both: the same random stream before each fit
                Nd4j.getRandom().setSeed(100 + i);
                dl4j.fit(new DataSet(x, y));
                Nd4j.getRandom().setSeed(100 + i);
                fused.fit(new DataSet(x, y));
                if (i == 0) first = dl4j.score();
            }
            String what = peephole ? "GravesLSTM" : "LSTM";
            assertTrue(dl4j.score() < 0.8 * first, what + ": training did not lower the loss: " + first + " -> "
                    + dl4j.score());
            assertEquals(dl4j.score(), fused.score(), 1e-4 * dl4j.score(), what + ": loss after 30 fits");
            assertTrue(maxAbsDifference(dl4j.params(), fused.params()) < 1e-4, what + ": parameters differ by "
                    + maxAbsDifference(dl4j.params(), fused.params()));
        }
    }

    /**
     * In a plain stack DL4J gives LSTM layers no mask (padding acts through the loss and LastTimeStep), so
     * variable-length minibatches run fused; a mask set on the layer itself, as a Bidirectional wrapper does,
     * sends the layer back to DL4J's code, which zeroes the state at masked steps.
     */
    @Test
    void masksMatchDl4jFusedOrNot() {
        for (boolean bidirectional : new boolean[]{false, true}) {
            MultiLayerNetwork dl4j = network(false, false, bidirectional, DataType.DOUBLE);
            MultiLayerNetwork fused = network(true, false, bidirectional, DataType.DOUBLE);
            sameRandomParameters(dl4j, fused, 3);
            INDArray x = input(DataType.DOUBLE, 4);
            INDArray y = Nd4j.rand(DataType.DOUBLE, MINIBATCH, OUT, STEPS);
            INDArray mask = Nd4j.ones(DataType.DOUBLE, MINIBATCH, STEPS);
            mask.get(NDArrayIndex.point(1), NDArrayIndex.interval(5, STEPS)).assign(0);
            x.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.interval(5, STEPS)).assign(0);
            INDArray expected = dl4j.output(x, false, mask, mask);
            INDArray actual = fused.output(x, false, mask, mask);
            assertTrue(maxAbsDifference(expected, actual) <= 1e-10, "masked outputs differ, bidirectional "
                    + bidirectional);
            for (MultiLayerNetwork net : List.of(dl4j, fused)) {
                net.setLayerMaskArrays(mask, mask);
                net.setInput(x);
                net.setLabels(y);
                net.computeGradientAndScore();
                net.clearLayerMaskArrays();
            }
            assertTrue(maxAbsDifference(dl4j.gradient().gradient(), fused.gradient().gradient()) <= 1e-10,
                    "masked gradients differ, bidirectional " + bidirectional);
            if (!bidirectional) {
                assertTrue(((FusedLstmLayer) fused.getLayer(0)).lastPassFused(), "a plain stack runs fused");
            }
        }
        MultiLayerNetwork fused = network(true, false, false, DataType.DOUBLE);
        org.deeplearning4j.nn.api.Layer layer = fused.getLayer(0);
        INDArray startPadded = Nd4j.ones(DataType.DOUBLE, MINIBATCH, STEPS);
        startPadded.get(NDArrayIndex.point(2), NDArrayIndex.interval(0, 3)).assign(0);
        layer.setMaskArray(startPadded);
        layer.activate(input(DataType.DOUBLE, 5), false, LayerWorkspaceMgr.noWorkspaces());
        assertFalse(((FusedLstmLayer) layer).lastPassFused(), "padding at the start must use DL4J's code");
        layer.setMaskArray(Nd4j.ones(DataType.DOUBLE, MINIBATCH, STEPS));
        layer.activate(input(DataType.DOUBLE, 5), false, LayerWorkspaceMgr.noWorkspaces());
        assertTrue(((FusedLstmLayer) layer).lastPassFused(), "a mask without padding runs fused");
    }

    /**
     * Sequence classification: {@code LastTimeStep} hands its mask to the LSTM layer, which DL4J then zeroes at
     * the padded steps. With padding at the end (variable-length minibatches) the fused layers must give the
     * same outputs and gradients, and run fused.
     */
    @Test
    void lastTimeStepWithEndPaddingRunsFusedAndMatchesDl4j() {
        for (boolean peephole : new boolean[]{false, true}) {
            MultiLayerNetwork[] nets = new MultiLayerNetwork[2];
            for (int k = 0; k < 2; k++) {
                boolean fused = k == 1;
                NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(42)
                        .dataType(DataType.DOUBLE).weightInit(WeightInit.XAVIER).updater(new Adam(0.01)).list();
                list.layer(recurrent(fused, peephole, false, 7, 1.0));
                list.layer(new org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep(
                        recurrent(fused, peephole, false, 6, 1.0)));
                list.layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nOut(OUT).build());
                list.setInputType(InputType.recurrent(N_IN));
                nets[k] = new MultiLayerNetwork(list.build());
                nets[k].init();
            }
            sameRandomParameters(nets[0], nets[1], 31);
            INDArray x = input(DataType.DOUBLE, 32);
            INDArray mask = Nd4j.ones(DataType.DOUBLE, MINIBATCH, STEPS);
            for (int row = 0; row < MINIBATCH; row++) {
                mask.get(NDArrayIndex.point(row), NDArrayIndex.interval(STEPS - 2 * row, STEPS)).assign(0);
            }
            INDArray y = Nd4j.zeros(DataType.DOUBLE, MINIBATCH, OUT);
            for (int row = 0; row < MINIBATCH; row++) y.putScalar(row, row % OUT, 1.0);
            String what = peephole ? "GravesLSTM" : "LSTM";
            INDArray expected = nets[0].output(x, false, mask, null);
            INDArray actual = nets[1].output(x, false, mask, null);
            assertTrue(maxAbsDifference(expected, actual) <= 1e-10, what + ": outputs differ by "
                    + maxAbsDifference(expected, actual));
            for (MultiLayerNetwork net : nets) {
                net.setLayerMaskArrays(mask, null);
                net.setInput(x);
                net.setLabels(y);
                net.computeGradientAndScore();
            }
            org.deeplearning4j.nn.api.Layer inner = ((org.deeplearning4j.nn.layers.recurrent.LastTimeStepLayer)
                    nets[1].getLayer(1)).getUnderlying();
            assertTrue(((FusedStatus) () -> inner).fused(), what + ": the wrapped layer did not run fused");
            double diff = maxAbsDifference(nets[0].gradient().gradient(), nets[1].gradient().gradient());
            assertTrue(diff <= 1e-10, what + ": gradients differ by " + diff);
        }
    }

    @Test
    void theConfigurationSurvivesJsonAsTheFusedLayers() {
        MultiLayerNetwork fused = network(true, true, true, false, DataType.FLOAT, 0.8);
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(fused.getLayerWiseConfigurations().toJson());
        assertInstanceOf(FusedGravesLstm.class, back.getConf(0).getLayer());
        assertEquals(fused.getLayerWiseConfigurations().getConf(1).getLayer(), back.getConf(1).getLayer());
        // not equal to DL4J's own layer with the same settings: the class is part of the configuration
        assertNotEquals(back.getConf(1).getLayer(), network(false, false, true, false, DataType.FLOAT, 0.8)
                .getLayerWiseConfigurations().getConf(1).getLayer());
    }

    @Test
    void autoPicksTheFusedKernelAtEverySizeAndDl4jOnlyWhenAsked() {
        ModelSpec spec = new ModelSpec(CellType.LSTM, List.of(16, 512),
                List.of(), false, 0, 0, ModelSpec.Clipping.NONE, 0, ModelSpec.Updater.ADAM, 1e-3, 1, 0, 1);
        assertEquals(ModelSpec.Kernel.AUTO, spec.kernel());
        MultiLayerConfiguration conf = NetworkFactory.configuration(spec, Task.STEP_CLASSIFICATION, 3, 4);
        assertInstanceOf(FusedLstm.class, conf.getConf(0).getLayer());
        assertInstanceOf(FusedLstm.class, conf.getConf(1).getLayer());
        MultiLayerConfiguration none = NetworkFactory.configuration(spec.withKernel(ModelSpec.Kernel.DL4J),
                Task.STEP_CLASSIFICATION, 3, 4);
        assertEquals(LSTM.class, none.getConf(0).getLayer().getClass());
        MultiLayerConfiguration all = NetworkFactory.configuration(
                new ModelSpec(CellType.PEEPHOLE, List.of(300), List.of(), false, 0, 0, ModelSpec.Clipping.NONE, 0,
                        ModelSpec.Updater.ADAM, 1e-3, 1, 0, 1, ModelSpec.Kernel.FUSED),
                Task.STEP_CLASSIFICATION, 3, 4);
        assertInstanceOf(FusedGravesLstm.class, all.getConf(0).getLayer());
    }

    /**
     * In {@code MultiLayerNetwork.fit} back-propagation must use the forward pass kept in DL4J's forward-cache
     * workspace, which exists only when the configuration's cache mode is not {@code NONE}; without it every
     * training step ran the forward pass twice.
     */
    @Test
    void fitReusesTheKeptForwardPass() {
        for (CellType cell : new CellType[]{CellType.LSTM, CellType.PEEPHOLE}) {
            for (Task task : new Task[]{Task.CLASSIFICATION, Task.STEP_CLASSIFICATION}) {
                ModelSpec spec = new ModelSpec(cell, List.of(6, 7), List.of(), false, 0, 0,
                        ModelSpec.Clipping.NONE, 0, ModelSpec.Updater.ADAM, 1e-3, 1, 0, 1);
                MultiLayerNetwork net = NetworkFactory.network(spec, task, N_IN, OUT);
                INDArray labels = task == Task.CLASSIFICATION ? Nd4j.zeros(DataType.FLOAT, MINIBATCH, OUT)
                        : Nd4j.zeros(DataType.FLOAT, MINIBATCH, OUT, STEPS);
                labels.get(NDArrayIndex.all(), NDArrayIndex.point(0)).assign(1);
                net.fit(new DataSet(input(DataType.FLOAT, 3), labels));
                for (int i = 0; i < 2; i++) {
                    org.deeplearning4j.nn.api.Layer layer = net.getLayer(i);
                    if (layer instanceof org.deeplearning4j.nn.layers.recurrent.LastTimeStepLayer last) {
                        layer = last.getUnderlying();
                    }
                    KeptPass kept = layer instanceof FusedLstmLayer l ? l.keptPass() : ((FusedGravesLstmLayer) layer).keptPass();
                    assertTrue(kept.reused(), cell + " " + task + " layer " + i + " ran its forward pass again");
                }
            }
        }
    }

    /** Whether a layer's last pass was fused, whichever fused class it is. */
    private interface FusedStatus {
        org.deeplearning4j.nn.api.Layer layer();

        default boolean fused() {
            return layer() instanceof FusedLstmLayer l ? l.lastPassFused()
                    : layer() instanceof FusedGravesLstmLayer g && g.lastPassFused();
        }
    }
}
