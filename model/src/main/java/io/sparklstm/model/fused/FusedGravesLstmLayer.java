package io.sparklstm.model.fused;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.GravesLSTM;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@code GravesLSTM} (peephole) layer whose whole-sequence forward pass and back-propagation run in ND4J's fused
 * {@code lstmLayer} ops where {@link LstmLayerOp#applies} says they compute the same thing; elsewhere (masks,
 * {@code rnnTimeStep}, truncated BPTT) it is DL4J's layer unchanged.
 */
public class FusedGravesLstmLayer extends GravesLSTM {

    public FusedGravesLstmLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private boolean lastPassFused;

    private boolean fused() {
        lastPassFused = LstmLayerOp.applies(layerConf(), input, maskArray, getHelper() != null);
        return lastPassFused;
    }

    /** Whether the last forward or backward pass ran in the fused op (false: DL4J's own code). */
    public boolean lastPassFused() {
        return lastPassFused;
    }

    @Override
    public INDArray activate(INDArray input, boolean training, LayerWorkspaceMgr mgr) {
        setInput(input, mgr);
        return activate(training, mgr);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        if (!fused()) return super.activate(training, mgr);
        assertInputSet(false);
        applyDropOutIfNecessary(training, mgr);
        return LstmLayerOp.forward(paramTable(false), true, input, mgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        if (!fused()) return super.backpropGradient(epsilon, mgr);
        assertInputSet(true);
        applyDropOutIfNecessary(true, mgr);
        Pair<Gradient, INDArray> p = LstmLayerOp.backward(paramTable(false), gradientViews, true, input, epsilon, mgr);
        weightNoiseParams.clear();
        p.setSecond(backpropDropOutIfPresent(p.getSecond()));
        return p;
    }
}
