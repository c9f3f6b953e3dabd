package io.sparklstm.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Collection;

/**
 * A recurrent layer that reads each sequence of a padded minibatch from its first real step, wherever its padding
 * lies: for the backward half of a {@code Bidirectional} layer, which DL4J feeds the whole padded minibatch
 * reversed, so that the padding of a shorter sequence comes first.
 *
 * <p>Why: DL4J 1.0.0-M2.1's recurrent layers, given no mask (a layer inside a network is not handed one; only
 * {@code LastTimeStep} sets one), carry the padding's state into the real steps after it; given a mask, they zero
 * that state on the forward pass but back-propagate into the padded steps all the same (their bias and input weight
 * gradients and their input gradient take in the padding). Either way a shorter sequence was read and trained
 * differently from how it is alone, in a way that depends on the longest sequence of its minibatch. Here each
 * sequence whose mask starts with padding is moved to the start (its padding to the end, after which nothing is
 * read), the wrapped layer runs with the mask moved alike (end padding, which the fused kernel also runs), and its
 * outputs and input gradients are moved back, zero at the padded steps, as are the gradients it is given there. A
 * minibatch without a mask, or whose masks start with a real step (the forward half), passes through untouched.
 * Adds no parameters: the network's parameters and their layout are the wrapped layer's.
 */
public class SequenceAligned extends BaseWrapperLayer {

    /** For JSON. */
    public SequenceAligned() {
    }

    public SequenceAligned(org.deeplearning4j.nn.conf.layers.Layer underlying) {
        super(underlying);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int index,
                             INDArray paramsView, boolean initializeParams, DataType dataType) {
        NeuralNetConfiguration inner = conf.clone();
        inner.setLayer(underlying);
        return new Impl(underlying.instantiate(inner, listeners, index, paramsView, initializeParams, dataType));
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }

    /** The layer. */
    static final class Impl extends org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer {
        /** The mask as given ([minibatch, steps]); null: none. */
        private INDArray mask;
        /** Padded steps before each sequence's first real step; null: no sequence starts with padding. */
        private int[] lead;

        Impl(Layer underlying) {
            super(underlying);
        }

        @Override
        public void setMaskArray(INDArray maskArray) {
            mask = maskArray;
            lead = leadingPadding(maskArray);
            underlying.setMaskArray(lead == null ? maskArray : shift(maskArray, lead, -1, null, null));
        }

        @Override
        public INDArray getMaskArray() {
            return mask;
        }

        @Override
        public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
                                                             int minibatchSize) {
            setMaskArray(maskArray);
            return new Pair<>(maskArray, MaskState.Passthrough);
        }

        @Override
        public void setInput(INDArray input, LayerWorkspaceMgr mgr) {
            underlying.setInput(lead == null ? input : shift(input, lead, -1, mgr, ArrayType.INPUT), mgr);
        }

        @Override
        public INDArray activate(INDArray input, boolean training, LayerWorkspaceMgr mgr) {
            setInput(input, mgr);
            return activate(training, mgr);
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
            INDArray out = underlying.activate(training, mgr);
            return lead == null ? out : shift(out, lead, +1, mgr, ArrayType.ACTIVATIONS);
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
            if (lead == null) return underlying.backpropGradient(epsilon, mgr);
            Pair<Gradient, INDArray> p = underlying.backpropGradient(
                    shift(epsilon, lead, -1, mgr, ArrayType.ACTIVATION_GRAD), mgr);
            return new Pair<>(p.getFirst(), shift(p.getSecond(), lead, +1, mgr, ArrayType.ACTIVATION_GRAD));
        }

        @Override
        public void clear() {
            super.clear();
            mask = null;
            lead = null;
        }

        /**
         * Each row's count of padded steps before its first real one, for masks that are padding then real steps
         * only; null when no row starts with padding or a row's mask is not of that form (left to DL4J as is).
         */
        static int[] leadingPadding(INDArray mask) {
            if (mask == null || mask.rank() != 2) return null;
            double[][] m = mask.toDoubleMatrix(); // one copy, not an element read per step
            int rows = m.length;
            int steps = (int) mask.size(1);
            int[] lead = new int[rows];
            boolean any = false;
            for (int i = 0; i < rows; i++) {
                int t = 0;
                while (t < steps && m[i][t] == 0) t++;
                for (int u = t; u < steps; u++) {
                    if (m[i][u] == 0) return null; // a gap: not padding before a sequence
                }
                lead[i] = t == steps ? 0 : t;
                any |= lead[i] > 0;
            }
            return any ? lead : null;
        }

        /**
         * {@code a} ([rows, steps] or [rows, features, steps]) with row i's steps moved by {@code direction *
         * lead[i]} (-1: to the start, +1: back), zeros where nothing moved to.
         */
        private static INDArray shift(INDArray a, int[] lead, int direction, LayerWorkspaceMgr mgr, ArrayType type) {
            if (a == null) return null;
            INDArray out = mgr == null ? a.like() : mgr.create(type, a.dataType(), a.shape(), a.ordering());
            boolean series = a.rank() == 3;
            long steps = a.size(a.rank() - 1);
            for (int i = 0; i < lead.length; i++) {
                int s = lead[i];
                long from = direction < 0 ? s : 0;
                long to = direction < 0 ? 0 : s;
                long n = steps - s;
                if (n <= 0) continue;
                if (series) {
                    out.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.interval(to, to + n))
                            .assign(a.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.interval(from, from + n)));
                } else {
                    out.get(NDArrayIndex.point(i), NDArrayIndex.interval(to, to + n))
                            .assign(a.get(NDArrayIndex.point(i), NDArrayIndex.interval(from, from + n)));
                }
            }
            return out;
        }
    }
}
