package io.sparklstm.model.fused;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.layers.recurrent.LSTM;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@code LSTM} layer whose whole-sequence forward pass runs in ND4J's fused {@code lstmLayer} op where
 * {@link LstmLayerOp#applies} says it computes the same thing. Back-propagation is DL4J's own (it recomputes the
 * forward pass from the same input): ND4J 1.0.0-M2.1's {@code lstmLayer_bp} op leaks native memory on every
 * call (about 7.6 MB at 32 x 64 units x 96 steps), which ended a training run. Elsewhere (a mask set on the layer
 * itself, {@code rnnTimeStep}, truncated BPTT) it is DL4J's layer unchanged.
 */
public class FusedLstmLayer extends LSTM {

    public FusedLstmLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private boolean lastPassFused;

    private boolean fused() {
        lastPassFused = LstmLayerOp.applies(layerConf(), input, maskArray, getHelper() != null);
        return lastPassFused;
    }

    /** Whether the last forward pass ran in the fused op (false: DL4J's own code). */
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
        return LstmLayerOp.forward(paramTable(false), false, input, mgr);
    }
}
