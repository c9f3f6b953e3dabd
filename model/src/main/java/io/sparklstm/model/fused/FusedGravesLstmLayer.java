package io.sparklstm.model.fused;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.GravesLSTM;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@code GravesLSTM} (peephole) layer whose whole-sequence passes, forward and back-propagation, truncated BPTT
 * included, run in {@link LstmSequence} where {@link LstmLayerOp#applies} says it computes what DL4J's code
 * would. Elsewhere (a layer mask other than end padding, or any mask with truncated BPTT; one unit; weight noise;
 * a cuDNN helper) and for one-step inference ({@code rnnTimeStep}) it is DL4J's layer unchanged. The training
 * forward pass is kept for back-propagation ({@link KeptPass}) instead of being run twice.
 */
public class FusedGravesLstmLayer extends GravesLSTM {

    public FusedGravesLstmLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private final KeptPass kept = new KeptPass(true);
    private boolean lastPassFused;

    /** @param truncated a truncated-BPTT pass, which runs fused without a layer mask only */
    private boolean fused(boolean truncated) {
        lastPassFused = LstmLayerOp.applies(layerConf(), input, maskArray, getHelper() != null)
                && !(truncated && maskArray != null);
        if (!lastPassFused) kept.clear();
        return lastPassFused;
    }

    KeptPass keptPass() {
        return kept;
    }

    /** Whether the last forward or backward pass ran fused (false: DL4J's own code). */
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
        if (!fused(false)) return super.activate(training, mgr);
        assertInputSet(false);
        applyDropOutIfNecessary(training, mgr);
        return kept.activate(paramTable(false), input, maskArray, training, mgr);
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT,
                                                LayerWorkspaceMgr mgr) {
        setInput(input, mgr);
        if (!fused(true)) return super.rnnActivateUsingStoredState(input, training, storeLastForTBPTT, mgr);
        applyDropOutIfNecessary(training, mgr);
        // the state DL4J's own layer starts a segment from
        return kept.activateFromState(paramTable(false), this.input, stateMap, tBpttStateMap, training,
                storeLastForTBPTT, mgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        if (!fused(false)) return super.backpropGradient(epsilon, mgr);
        return backprop(epsilon, false, 0, mgr);
    }

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackwardLength,
                                                          LayerWorkspaceMgr mgr) {
        if (!fused(true)) return super.tbpttBackpropGradient(epsilon, tbpttBackwardLength, mgr);
        return backprop(epsilon, true, tbpttBackwardLength, mgr);
    }

    private Pair<Gradient, INDArray> backprop(INDArray epsilon, boolean truncated, int backLength,
                                              LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        applyDropOutIfNecessary(true, mgr);
        Pair<Gradient, INDArray> p = kept.backprop(paramTable(false), input, truncated ? null : maskArray, epsilon,
                truncated ? stateMap : null, tBpttStateMap, backLength, gradientViews, mgr);
        weightNoiseParams.clear();
        p.setSecond(backpropDropOutIfPresent(p.getSecond()));
        return p;
    }
}
