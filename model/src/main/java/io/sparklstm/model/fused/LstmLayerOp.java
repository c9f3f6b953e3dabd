package io.sparklstm.model.fused;

import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.AbstractLSTM;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Map;

/**
 * Runs a DL4J {@code LSTM} or {@code GravesLSTM} layer's whole-sequence forward pass through ND4J's native
 * {@code lstmLayer} op, which loops over the time steps inside libnd4j instead of issuing several small ND4J
 * operations per step from Java; the fused layers use it for inference, where nothing need be kept. Its gradient
 * op, {@code lstmLayer_bp}, leaks native memory on every call in ND4J 1.0.0-M2.1, so training runs through
 * {@link LstmSequence} instead.
 *
 * <p>The parameters stay in DL4J's layout (see the layout notes of the tests' {@code LstmReference}), so a
 * network trains, averages, checkpoints and serves exactly as with DL4J's own layers; they are reordered into
 * the op's layout on every pass, which costs a copy of the weights, small next to the sequence's products.
 * DL4J orders the four gate blocks of {@code W}, {@code RW} and {@code b} as (candidate, forget, output,
 * input) and keeps the {@code GravesLSTM} peepholes as the 3 columns (forget, output, input) after them in
 * {@code RW}. libnd4j orders the blocks (input, forget, candidate, output) and takes the peepholes as a vector
 * {@code [3n]} ordered (input, forget, output).
 *
 * <p>The op is used only where it computes what DL4J's layer would: sigmoid gates, tanh activations, inputs
 * in DL4J's {@code [minibatch, features, steps]} format, no weight noise, the CPU backend (a GPU backend
 * keeps DL4J's path and its cuDNN helper), and no mask on the layer itself. In a plain stack DL4J gives LSTM layers no mask:
 * padded steps act through the loss and {@code LastTimeStep}, the same for both; only a {@code Bidirectional}
 * wrapper sets one, and DL4J then zeroes the state at masked steps, which the op does not. Elsewhere the
 * layers fall back to DL4J's implementation, as they do for {@code rnnTimeStep} and truncated BPTT.
 */
final class LstmLayerOp {

    /** libnd4j's block {@code k} (input, forget, candidate, output) is DL4J's block {@code DL4J_BLOCK[k]}. */
    private static final int[] DL4J_BLOCK = {3, 1, 0, 2};
    /** libnd4j's peephole block {@code k} (input, forget, output) is DL4J's extra RW column {@code 4n + ..}. */
    private static final int[] DL4J_PEEPHOLE_COLUMN = {2, 0, 1};

    // integer arguments: data format, direction, gate, cell and output activations (libnd4j's enum ordinals)
    private static final int FORMAT_BATCH_FEATURES_STEPS = 2;
    private static final int DIRECTION_FORWARD = 0;
    private static final int ACTIVATION_TANH = 0;
    private static final int ACTIVATION_SIGMOID = 2;

    private LstmLayerOp() {
    }

    /**
     * Whether the fused kernel computes exactly what DL4J's layer would for this configuration, input and layer
     * mask, on the CPU backend (back-propagation does its element-wise work in Java over the arrays' memory; on a
     * GPU backend the layers are DL4J's, with cuDNN where it is installed). DL4J zeroes the output and the cell
     * state at masked steps; where every sequence's mask is ones and
     * then zeros (padding at the end, as {@code LastTimeStep} passes down), nothing after a masked step is
     * used, so zeroing the output there ({@link #maskOutput}) gives DL4J's result. Other masks (padding at the
     * start, as the backward half of a {@code Bidirectional} layer sees it) stay on DL4J's code.
     *
     * <p>A layer of one unit stays on DL4J's code too: in ND4J 1.0.0-M2.1 libnd4j's {@code lstmLayer} op fails or
     * crashes the JVM (a GEMM shape error, SIGSEGV, heap corruption) on a one-unit layer with more than one example
     * in the minibatch, with or without peepholes, and its {@code lstmBlock} op corrupts the heap on a one-unit
     * peephole layer (measured 2026-12-04; one example, or two units, run right). Such a layer is too small for the
     * kernel to matter.
     */
    static boolean applies(AbstractLSTM conf, INDArray input, INDArray mask, boolean hasHelper) {
        return input != null && input.rank() == 3 && (mask == null || endPadded(mask, input)) && !hasHelper
                && conf.getNOut() > 1
                && Nd4j.getEnvironment().isCPU()
                && conf.getWeightNoise() == null
                && conf.getRnnDataFormat() == RNNFormat.NCW
                && conf.getGateActivationFn() instanceof ActivationSigmoid
                && conf.getActivationFn() instanceof ActivationTanH
                && (input.dataType() == DataType.FLOAT || input.dataType() == DataType.DOUBLE);
    }

    /** Whether {@code mask [minibatch, steps]} holds only ones then zeros along every row. */
    static boolean endPadded(INDArray mask, INDArray input) {
        if (mask.rank() != 2 || mask.size(0) != input.size(0) || mask.size(1) != input.size(2)) return false;
        INDArray m = mask.castTo(DataType.DOUBLE);
        if (m.mul(m.rsub(1.0)).amaxNumber().doubleValue() != 0) return false; // not all 0 or 1
        long steps = m.size(1);
        if (steps < 2) return true;
        INDArray rises = m.get(NDArrayIndex.all(), NDArrayIndex.interval(1, steps))
                .sub(m.get(NDArrayIndex.all(), NDArrayIndex.interval(0, steps - 1)));
        return rises.maxNumber().doubleValue() <= 0;
    }

    /** Zeroes {@code output [minibatch, n, steps]} at the masked steps, as DL4J's layer does. */
    static void maskOutput(INDArray output, INDArray mask) {
        if (mask == null) return;
        Nd4j.exec(new BroadcastMulOp(output, mask.castTo(output.dataType()), output, 0, 2));
    }

    /** The layer's parameters in the op's layout. */
    private record Weights(INDArray wx, INDArray wr, INDArray b, INDArray wp) {
        INDArray[] inputs(INDArray x) {
            return wp == null ? new INDArray[]{x, wx, wr, b} : new INDArray[]{x, wx, wr, b, wp};
        }
    }

    private static Weights weights(Map<String, INDArray> params, boolean peephole, DataType type,
                                   LayerWorkspaceMgr mgr) {
        ArrayType memory = ArrayType.FF_WORKING_MEM;
        INDArray w = params.get("W");
        INDArray rw = params.get("RW");
        INDArray b = params.get("b");
        long n = w.size(1) / 4;
        INDArray wx = mgr.createUninitialized(memory, type, new long[]{w.size(0), 4 * n}, 'c');
        INDArray wr = mgr.createUninitialized(memory, type, new long[]{n, 4 * n}, 'c');
        INDArray bias = mgr.createUninitialized(memory, type, new long[]{1, 4 * n}, 'c');
        for (int k = 0; k < 4; k++) {
            wx.get(all(), block(k, n)).assign(w.get(all(), block(DL4J_BLOCK[k], n)));
            wr.get(all(), block(k, n)).assign(rw.get(all(), block(DL4J_BLOCK[k], n)));
            bias.get(all(), block(k, n)).assign(b.get(all(), block(DL4J_BLOCK[k], n)));
        }
        INDArray wp = null;
        if (peephole) {
            wp = mgr.createUninitialized(memory, type, new long[]{3 * n}, 'c');
            for (int k = 0; k < 3; k++) {
                wp.get(block(k, n)).assign(rw.get(all(), NDArrayIndex.point(4 * n + DL4J_PEEPHOLE_COLUMN[k])));
            }
        }
        return new Weights(wx, wr, bias.reshape(4 * n), wp);
    }

    /** The input as a C-ordered array, which is what the op's loops are written for. */
    private static INDArray contiguous(INDArray a, LayerWorkspaceMgr mgr) {
        return a.ordering() == 'c' && !a.isView() ? a : mgr.dup(ArrayType.FF_WORKING_MEM, a, 'c');
    }

    /** The whole output sequence {@code [minibatch, units, steps]}, from a zero initial state. */
    static INDArray forward(Map<String, INDArray> params, boolean peephole, INDArray input, LayerWorkspaceMgr mgr) {
        DataType type = input.dataType();
        Weights w = weights(params, peephole, type, mgr);
        INDArray x = contiguous(input, mgr);
        long n = w.wr().size(0);
        INDArray h = mgr.createUninitialized(ArrayType.ACTIVATIONS, type, new long[]{x.size(0), n, x.size(2)}, 'c');
        Nd4j.exec(DynamicCustomOp.builder("lstmLayer")
                .addIntegerArguments(FORMAT_BATCH_FEATURES_STEPS, DIRECTION_FORWARD, ACTIVATION_SIGMOID,
                        ACTIVATION_TANH, ACTIVATION_TANH)
                .addFloatingPointArguments(0.0) // no cell clipping
                // biases, sequence lengths, initial output, initial cell, peepholes; return: sequence, last h, last c
                .addBooleanArguments(true, false, false, false, peephole, true, false, false)
                .addInputs(w.inputs(x))
                .addOutputs(h)
                .build());
        return h;
    }

    private static INDArrayIndex all() {
        return NDArrayIndex.all();
    }

    private static INDArrayIndex block(int k, long n) {
        return NDArrayIndex.interval(k * n, (k + 1) * n);
    }
}
