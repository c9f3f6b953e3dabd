package io.sparklstm.model.fused;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A fused layer's last training forward pass, kept in DL4J's forward-cache workspace (which, during
 * {@code MultiLayerNetwork} training, lives as long as the layer activations) so that back-propagation need not
 * run the forward pass again. A pass is reused only for the very input array it was computed from; otherwise,
 * or where no cache workspace is open, back-propagation recomputes it.
 */
final class KeptPass {

    private LstmSequence.Pass kept;

    /** Runs the forward pass from the state {@code (y0, c0)} (null: zeros), keeping it when training. */
    LstmSequence.Pass forward(LstmSequence.Params params, INDArray input, INDArray mask, INDArray y0, INDArray c0,
                              boolean training, LayerWorkspaceMgr mgr) {
        boolean keep = training && (mgr.isScopedOut(ArrayType.FF_CACHE)
                || mgr.hasConfiguration(ArrayType.FF_CACHE) && mgr.isWorkspaceOpen(ArrayType.FF_CACHE));
        LstmSequence.Pass pass = LstmSequence.forward(params, input, mask, y0, c0, mgr,
                keep ? ArrayType.FF_CACHE : ArrayType.FF_WORKING_MEM, ArrayType.ACTIVATIONS, ArrayType.FF_WORKING_MEM);
        kept = keep ? pass : null;
        return pass;
    }

    /** The kept pass if it was computed from {@code input}, else a new one from the state {@code (y0, c0)}. */
    LstmSequence.Pass forBackprop(LstmSequence.Params params, INDArray input, INDArray mask, INDArray y0,
                                  INDArray c0, LayerWorkspaceMgr mgr) {
        LstmSequence.Pass pass = kept;
        kept = null;
        if (pass != null && pass.input() == input) return pass;
        ArrayType work = ArrayType.BP_WORKING_MEM;
        return LstmSequence.forward(params, input, mask, y0, c0, mgr, work, work, work);
    }

    void clear() {
        kept = null;
    }
}
