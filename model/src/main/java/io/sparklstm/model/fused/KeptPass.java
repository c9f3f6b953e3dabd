package io.sparklstm.model.fused;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.LSTM;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * What the two fused layers do, given their state: the passes of {@link LstmSequence} and {@link LstmLayerOp},
 * and the layer's last training forward pass, kept in DL4J's forward-cache workspace (which, during
 * {@code MultiLayerNetwork} training, lives as long as the layer activations) so that back-propagation need not
 * run the forward pass again. A pass is reused only for the very input array and the very initial state that
 * back-propagation would compute it from; otherwise, or where no cache workspace is open, back-propagation
 * recomputes it.
 *
 * <p>The initial state matters in truncated BPTT: DL4J 1.0.0-M2.1's {@code MultiLayerNetwork.fit} runs each
 * segment's forward pass from the state the previous segment left, but back-propagates it through the layers'
 * {@code backpropGradient}, which DL4J's layers answer by recomputing the forward pass from a zero state (not
 * {@code tbpttBackpropGradient}). Reusing the kept pass there gave other gradients than DL4J's layers.
 */
final class KeptPass {

    // the keys of DL4J's recurrent state maps (the same strings in LSTM and GravesLSTM)
    private static final String ACTIVATION = LSTM.STATE_KEY_PREV_ACTIVATION;
    private static final String CELL = LSTM.STATE_KEY_PREV_MEMCELL;

    private final boolean peephole;
    private LstmSequence.Pass kept;
    private boolean reused;

    /** @param peephole for {@code GravesLSTM} */
    KeptPass(boolean peephole) {
        this.peephole = peephole;
    }

    /**
     * A whole-sequence forward pass from a zero state: kept when training; in inference through the native
     * {@code lstmLayer} op, which is faster and keeps nothing.
     */
    INDArray activate(Map<String, INDArray> params, INDArray input, INDArray mask, boolean training,
                      LayerWorkspaceMgr mgr) {
        if (training) return forward(params, input, mask, null, null, true, mgr).output();
        kept = null;
        INDArray out = LstmLayerOp.forward(params, peephole, input, mgr);
        LstmLayerOp.maskOutput(out, mask);
        return out;
    }

    /**
     * A truncated-BPTT segment's forward pass from the state in {@code from}; its last state goes into
     * {@code to} when {@code storeLast}.
     */
    INDArray activateFromState(Map<String, INDArray> params, INDArray input, Map<String, INDArray> from,
                               Map<String, INDArray> to, boolean training, boolean storeLast, LayerWorkspaceMgr mgr) {
        LstmSequence.Pass pass = forward(params, input, null, from.get(ACTIVATION), from.get(CELL), training, mgr);
        if (storeLast) storeLastState(pass, to);
        return pass.output();
    }

    /**
     * Back-propagates {@code epsilon} through the whole sequence ({@code state} null) or, for truncated BPTT,
     * through the last {@code backLength} steps of a segment that started from {@code state}, its last state
     * going into {@code tbpttState} as DL4J's layers do.
     */
    Pair<Gradient, INDArray> backprop(Map<String, INDArray> params, INDArray input, INDArray mask,
                                      INDArray epsilon, Map<String, INDArray> state, Map<String, INDArray> tbpttState,
                                      int backLength, Map<String, INDArray> gradientViews, LayerWorkspaceMgr mgr) {
        boolean truncated = state != null;
        INDArray y0 = truncated ? state.get(ACTIVATION) : null;
        INDArray c0 = truncated ? state.get(CELL) : null;
        LstmSequence.Params p = LstmSequence.Params.of(params, peephole);
        LstmSequence.Pass pass = kept;
        kept = null;
        reused = pass != null && pass.input() == input && startsFrom(pass, y0, c0);
        if (!reused) {
            ArrayType work = ArrayType.BP_WORKING_MEM;
            pass = LstmSequence.forward(p, input, mask, y0, c0, mgr, work, work, work);
        }
        if (truncated) storeLastState(pass, tbpttState);
        long from = truncated ? Math.max(0, input.size(2) - backLength) : 0;
        return LstmSequence.backward(p, pass, epsilon, mask, from, gradientViews, mgr);
    }

    /** Whether {@code pass} started from the state {@code (y0, c0)} (null: zeros), the very arrays. */
    private static boolean startsFrom(LstmSequence.Pass pass, INDArray y0, INDArray c0) {
        return pass.y0() == y0 && pass.c0() == c0;
    }

    /** Whether the last back-propagation used the kept forward pass (false: it ran the forward pass again). */
    boolean reused() {
        return reused;
    }

    void clear() {
        kept = null;
    }

    private LstmSequence.Pass forward(Map<String, INDArray> params, INDArray input, INDArray mask, INDArray y0,
                                      INDArray c0, boolean training, LayerWorkspaceMgr mgr) {
        boolean keep = training && (mgr.isScopedOut(ArrayType.FF_CACHE)
                || mgr.hasConfiguration(ArrayType.FF_CACHE) && mgr.isWorkspaceOpen(ArrayType.FF_CACHE));
        LstmSequence.Pass pass = LstmSequence.forward(LstmSequence.Params.of(params, peephole), input, mask, y0, c0,
                mgr, keep ? ArrayType.FF_CACHE : ArrayType.FF_WORKING_MEM, ArrayType.ACTIVATIONS,
                ArrayType.FF_WORKING_MEM);
        kept = keep ? pass : null;
        return pass;
    }

    private static void storeLastState(LstmSequence.Pass pass, Map<String, INDArray> to) {
        to.put(ACTIVATION, pass.lastOutput().detach());
        to.put(CELL, pass.lastCell().detach());
    }
}
