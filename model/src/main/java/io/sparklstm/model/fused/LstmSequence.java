package io.sparklstm.model.fused;

import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Map;

/**
 * An LSTM layer's training passes over whole sequences, in time-major layout. The forward pass runs in
 * libnd4j's native {@code lstmBlock} op and is kept: it holds what back-propagation needs (the gate
 * activations, the cell states and their tanh). Back-propagation through time takes per step one GEMM (the
 * gradient reaching the step's output through the next step's gates) and does the element-wise rest in plain
 * Java over the arrays' memory ({@link StepGradients}), without creating an ND4J view or issuing an ND4J
 * operation per step; the weight gradients are three matrix products over all steps. DL4J's own layer issues
 * many small ND4J operations per step, runs its forward pass a second time inside back-propagation, and
 * multiplies the weight gradients step by step; on a CPU the per-operation costs of ND4J (10-35 µs each), not
 * the GEMMs, then set the speed of layers up to a few hundred units.
 *
 * <p>Parameters and gradients stay in DL4J's layout: gate blocks (candidate, forget, output, input) in the
 * columns of {@code W [nIn, 4n]}, {@code RW [n, 4n(+3)]} and {@code b [1, 4n]}, and for {@code GravesLSTM}
 * the peepholes as the 3 last columns of {@code RW}: forget and input gates see {@code c[t-1]}, the output
 * gate sees {@code c[t]}.
 */
final class LstmSequence {

    /** DL4J's gate blocks, in the order of the columns of W, RW and b. */
    static final int CANDIDATE = 0;
    static final int FORGET = 1;
    static final int OUTPUT = 2;
    static final int INPUT = 3;
    /** Where the peephole columns of {@code RW} start, after the four gate blocks: forget, output, input. */
    private static final int PEEP_FORGET = 0;
    private static final int PEEP_OUTPUT = 1;
    private static final int PEEP_INPUT = 2;

    private LstmSequence() {
    }

    /** The layer's parameters as views, {@code peephole} for {@code GravesLSTM}. */
    record Params(INDArray w, INDArray rw, INDArray b, INDArray peepForget, INDArray peepOutput,
                  INDArray peepInput, long n) {

        static Params of(Map<String, INDArray> params, boolean peephole) {
            INDArray w = params.get("W");
            INDArray rw = params.get("RW");
            long n = w.size(1) / 4;
            INDArray gates = rw.get(all(), NDArrayIndex.interval(0, 4 * n));
            if (!peephole) return new Params(w, gates, params.get("b"), null, null, null, n);
            return new Params(w, gates, params.get("b"), peep(rw, n, PEEP_FORGET), peep(rw, n, PEEP_OUTPUT),
                    peep(rw, n, PEEP_INPUT), n);
        }

        private static INDArray peep(INDArray rw, long n, int column) {
            return rw.get(all(), NDArrayIndex.point(4 * n + column)).reshape(1, n);
        }

        boolean peephole() {
            return peepForget != null;
        }
    }

    /**
     * A forward pass kept for back-propagation, all time-major {@code [steps, minibatch, ..]} and each array
     * contiguous (element-wise ND4J operations on strided views run an order of magnitude slower): the input,
     * the activations of the four gates {@code [steps, minibatch, n]} in DL4J's block order, the cell states and
     * their tanh, the outputs; and the initial state (null: zeros).
     */
    record Pass(INDArray input, INDArray x, INDArray[] gates, INDArray c, INDArray tanhC, INDArray y,
                INDArray y0, INDArray c0) {

        /** The output sequence in DL4J's {@code [minibatch, units, steps]} layout (a view). */
        INDArray output() {
            return y.permute(1, 2, 0);
        }

        INDArray lastOutput() {
            return y.slice(y.size(0) - 1);
        }

        INDArray lastCell() {
            return c.slice(c.size(0) - 1);
        }
    }

    /** libnd4j's {@code lstmBlock} orders the gate blocks (input, candidate, forget, output). */
    private static final int[] BLOCK_OP_ORDER = {INPUT, CANDIDATE, FORGET, OUTPUT};
    private static final int FORMAT_STEPS_BATCH_FEATURES = 0;

    /**
     * Runs the layer over {@code input [minibatch, nIn, steps]} from the state {@code (y0, c0)} (null: zeros),
     * its output zeroed where an end-padding {@code mask [minibatch, steps]} (null: none) is 0,
     * in libnd4j's native {@code lstmBlock} op, which loops over the steps in C++ and returns every gate's
     * activations.
     *
     * @param store   where the kept arrays go
     * @param output  where the output sequence goes
     * @param scratch where the arrays needed only during the pass go
     */
    static Pass forward(Params p, INDArray input, INDArray mask, INDArray y0, INDArray c0, LayerWorkspaceMgr mgr,
                        ArrayType store, ArrayType output, ArrayType scratch) {
        DataType type = input.dataType();
        long mb = input.size(0);
        long nIn = input.size(1);
        long steps = input.size(2);
        long n = p.n();
        long[] seq = {steps, mb, n};
        INDArray x = mgr.createUninitialized(store, type, new long[]{steps, mb, nIn}, 'c');
        x.assign(input.permute(2, 0, 1));
        // the op's weights: [W; RW] stacked, gate blocks in its order; bias likewise; peepholes as vectors
        INDArray w = mgr.createUninitialized(scratch, type, new long[]{nIn + n, 4 * n}, 'c');
        INDArray b = mgr.createUninitialized(scratch, type, new long[]{1, 4 * n}, 'c');
        for (int k = 0; k < 4; k++) {
            INDArrayIndex to = NDArrayIndex.interval(k * n, (k + 1) * n);
            INDArrayIndex from = NDArrayIndex.interval(BLOCK_OP_ORDER[k] * n, (BLOCK_OP_ORDER[k] + 1) * n);
            w.get(NDArrayIndex.interval(0, nIn), to).assign(p.w().get(all(), from));
            w.get(NDArrayIndex.interval(nIn, nIn + n), to).assign(p.rw().get(all(), from));
            b.get(all(), to).assign(p.b().get(all(), from));
        }
        INDArray zeros = mgr.create(scratch, type, new long[]{mb, n}, 'c');
        INDArray noPeephole = mgr.create(scratch, type, new long[]{n}, 'c');
        INDArray[] gates = new INDArray[4];
        for (int k = 0; k < 4; k++) gates[k] = mgr.createUninitialized(store, type, seq, 'c');
        INDArray c = mgr.createUninitialized(store, type, seq, 'c');
        INDArray tanhC = mgr.createUninitialized(store, type, seq, 'c');
        INDArray y = mgr.createUninitialized(output, type, seq, 'c');
        y0 = y0 == null ? null : y0.castTo(type);
        c0 = c0 == null ? null : c0.castTo(type);
        Nd4j.exec(DynamicCustomOp.builder("lstmBlock")
                .addIntegerArguments(p.peephole() ? 1 : 0, FORMAT_STEPS_BATCH_FEATURES)
                .addFloatingPointArguments(0.0, 0.0) // no forget-gate bias beyond b, no cell clipping
                .addInputs(Nd4j.scalar(DataType.LONG, steps), x, c0 == null ? zeros : c0, y0 == null ? zeros : y0, w,
                        p.peephole() ? p.peepInput().reshape(n) : noPeephole,
                        p.peephole() ? p.peepForget().reshape(n) : noPeephole,
                        p.peephole() ? p.peepOutput().reshape(n) : noPeephole, b.reshape(4 * n))
                // input gate, cell state, forget gate, output gate, candidate, tanh(cell), output
                .addOutputs(gates[INPUT], c, gates[FORGET], gates[OUTPUT], gates[CANDIDATE], tanhC, y)
                .build());
        if (mask != null) Nd4j.exec(new BroadcastMulOp(y, timeMajor(mask, type), y, 0, 1)); // see LstmLayerOp.applies
        return new Pass(input, x, gates, c, tanhC, y, y0, c0);
    }

    /**
     * Back-propagates {@code epsilon [minibatch, n, steps]}, the gradient with respect to the output sequence,
     * through the steps {@code from..steps-1} of {@code pass} (0 for the whole sequence; later for truncated
     * BPTT, where earlier steps get no gradient), {@code mask} being the forward pass's. Writes the parameter gradients into {@code gradientViews} in
     * DL4J's layout; returns them with the gradient with respect to the input.
     */
    static Pair<Gradient, INDArray> backward(Params p, Pass pass, INDArray epsilon, INDArray mask, long from,
                                             Map<String, INDArray> gradientViews, LayerWorkspaceMgr mgr) {
        ArrayType work = ArrayType.BP_WORKING_MEM;
        INDArray x = pass.x();
        DataType type = x.dataType();
        long steps = x.size(0);
        long mb = x.size(1);
        long nIn = x.size(2);
        long n = p.n();
        long len = steps - from;
        long[] seq = {len, mb, n};
        INDArrayIndex span = NDArrayIndex.interval(from, steps);

        INDArray dy = mgr.createUninitialized(work, type, seq, 'c');
        dy.assign(epsilon.get(all(), all(), span).permute(2, 0, 1));
        // the output was zeroed at masked steps, so they pass no gradient back
        if (mask != null) Nd4j.exec(new BroadcastMulOp(dy, timeMajor(mask, type).get(span, all()).dup('c'), dy, 0, 1));
        INDArray dz = mgr.createUninitialized(work, type, new long[]{len, mb, 4 * n}, 'c');
        INDArray dzStep = mgr.createUninitialized(work, type, new long[]{mb, 4 * n}, 'c');
        INDArray recurrent = mgr.createUninitialized(work, type, new long[]{mb, n}, 'c');
        StepGradients gradients = new StepGradients(p, pass, from, dy, dz, dzStep, recurrent);
        for (long k = len - 1; k >= 0; k--) {
            // dy[k] gains dz[k+1] RW^T, the gradient that reaches y[k] through the next step's gates
            if (k < len - 1) Nd4j.gemm(dzStep, p.rw(), recurrent, false, true, 1.0, 0.0);
            gradients.step((int) k);
        }

        // weight gradients: one product over all steps each, into C-ordered arrays (BLAS writes those 2-3x
        // faster than DL4J's 'f'-ordered gradient views here), then copied
        INDArray dzFlat = dz.reshape('c', len * mb, 4 * n);
        INDArray gw = gradientViews.get("W");
        INDArray grw = gradientViews.get("RW");
        INDArray gb = gradientViews.get("b");
        INDArray product = mgr.createUninitialized(work, type, new long[]{nIn, 4 * n}, 'c');
        Nd4j.gemm(steps(x, span).reshape('c', len * mb, nIn), dzFlat, product, true, false, 1.0, 0.0);
        gw.assign(product);
        INDArray recurrentWeights = mgr.create(work, type, new long[]{n, 4 * n}, 'c');
        if (len > 1) {
            INDArray yPrev = steps(pass.y(), NDArrayIndex.interval(from, steps - 1));
            Nd4j.gemm(yPrev.reshape('c', (len - 1) * mb, n),
                    steps(dz, NDArrayIndex.interval(1, len)).reshape('c', (len - 1) * mb, 4 * n),
                    recurrentWeights, true, false, 1.0, 0.0);
        }
        INDArray y0 = from == 0 ? pass.y0() : pass.y().slice(from - 1);
        if (y0 != null) Nd4j.gemm(y0, dz.slice(0), recurrentWeights, true, false, 1.0, 1.0);
        grw.get(all(), NDArrayIndex.interval(0, 4 * n)).assign(recurrentWeights);
        gb.assign(vector(gradients.bias, type).reshape(1, 4 * n));
        if (p.peephole()) {
            grw.get(all(), NDArrayIndex.point(4 * n + PEEP_FORGET)).assign(vector(gradients.peepForget, type));
            grw.get(all(), NDArrayIndex.point(4 * n + PEEP_OUTPUT)).assign(vector(gradients.peepOutput, type));
            grw.get(all(), NDArrayIndex.point(4 * n + PEEP_INPUT)).assign(vector(gradients.peepInput, type));
        }

        INDArray dx = from == 0
                ? mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, type, new long[]{mb, nIn, steps}, 'c')
                : mgr.create(ArrayType.ACTIVATION_GRAD, type, new long[]{mb, nIn, steps}, 'c');
        INDArray dxSteps = mgr.createUninitialized(work, type, new long[]{len * mb, nIn}, 'c');
        Nd4j.gemm(dzFlat, p.w(), dxSteps, false, true, 1.0, 0.0);
        dx.get(all(), all(), span).assign(dxSteps.reshape('c', len, mb, nIn).permute(1, 2, 0));

        Gradient gradient = new DefaultGradient();
        gradient.gradientForVariable().put("W", gw);
        gradient.gradientForVariable().put("RW", grw);
        gradient.gradientForVariable().put("b", gb);
        return new Pair<>(gradient, dx);
    }

    /** {@code mask [minibatch, steps]} as a contiguous {@code [steps, minibatch]} array. */
    private static INDArray timeMajor(INDArray mask, DataType type) {
        return mask.castTo(type).transpose().dup('c');
    }

    /** The steps {@code span} of a time-major sequence (a view, contiguous). */
    private static INDArray steps(INDArray sequence, INDArrayIndex span) {
        return sequence.get(span, all(), all());
    }

    private static INDArray vector(double[] values, DataType type) {
        return Nd4j.createFromArray(values).castTo(type);
    }

    private static INDArrayIndex all() {
        return NDArrayIndex.all();
    }
}
