package io.sparklstm.model.fused;

import org.nd4j.linalg.api.ndarray.INDArray;

import static io.sparklstm.model.fused.LstmSequence.CANDIDATE;
import static io.sparklstm.model.fused.LstmSequence.FORGET;
import static io.sparklstm.model.fused.LstmSequence.INPUT;
import static io.sparklstm.model.fused.LstmSequence.OUTPUT;

/**
 * The element-wise part of one back-propagation step, in plain Java over the arrays' memory ({@link Values}): from
 * the gradient reaching a step's output and the cell gradient coming back from the next step, the gradients of
 * the step's four gate pre-activations, and the running sums of the bias and peephole gradients. Per element,
 * with the gates of DL4J's cell (see {@link LstmSequence}):
 * <pre>
 *   dy   = epsilon[t] + (dz[t+1] RW^T)               (the product is computed by the caller, into recurrent)
 *   dz_o = dy tanh(c) o (1 - o)
 *   dc   = dy o (1 - tanh(c)^2) + dz_o p_o + dc[t+1] f[t+1] + dz_f[t+1] p_f + dz_i[t+1] p_i
 *   dz_g = dc i (1 - g^2),  dz_f = dc c[t-1] f (1 - f),  dz_i = dc g i (1 - i)
 * </pre>
 * the peephole terms only for {@code GravesLSTM}. The arithmetic is in double precision whatever the arrays'.
 */
final class StepGradients {

    private final int mb;
    private final int n;
    private final int from;
    private final Values dy;
    private final Values dz;
    private final Values dzStep;
    private final Values recurrent;
    private final Values g;
    private final Values f;
    private final Values o;
    private final Values i;
    private final Values c;
    private final Values tanhC;
    private final Values c0;
    private final double[] peepF;
    private final double[] peepO;
    private final double[] peepI;
    /** The cell gradient of the step after the current one (then of the current one). */
    private final double[] dc;
    private boolean first = true;

    /** Sums over all steps and the minibatch, in DL4J's gate-block order {@code [4n]}. */
    final double[] bias;
    /** Sums over all steps and the minibatch {@code [n]}; zero without peepholes. */
    final double[] peepForget;
    final double[] peepOutput;
    final double[] peepInput;

    /**
     * @param from      the first step back-propagated (later steps' gradients only, for truncated BPTT)
     * @param dy        the gradient reaching each output {@code [steps - from, mb, n]}
     * @param dz        where the gate gradients go {@code [steps - from, mb, 4n]}
     * @param dzStep    where the last computed step's gate gradients go as well {@code [mb, 4n]}
     * @param recurrent {@code dz[t+1] RW^T [mb, n]}, for every step but the last
     */
    StepGradients(LstmSequence.Params p, LstmSequence.Pass pass, long from, INDArray dy, INDArray dz,
                  INDArray dzStep, INDArray recurrent) {
        this.mb = Math.toIntExact(dy.size(1));
        this.n = Math.toIntExact(p.n());
        this.from = Math.toIntExact(from);
        this.dy = Values.of(dy);
        this.dz = Values.writable(dz);
        this.dzStep = Values.writable(dzStep);
        this.recurrent = Values.of(recurrent);
        INDArray[] gates = pass.gates();
        this.g = Values.of(gates[CANDIDATE]);
        this.f = Values.of(gates[FORGET]);
        this.o = Values.of(gates[OUTPUT]);
        this.i = Values.of(gates[INPUT]);
        this.c = Values.of(pass.c());
        this.tanhC = Values.of(pass.tanhC());
        this.c0 = from == 0 && pass.c0() != null ? Values.of(pass.c0()) : null;
        this.peepF = p.peephole() ? p.peepForget().toDoubleVector() : null;
        this.peepO = p.peephole() ? p.peepOutput().toDoubleVector() : null;
        this.peepI = p.peephole() ? p.peepInput().toDoubleVector() : null;
        this.dc = new double[mb * n];
        this.bias = new double[4 * n];
        this.peepForget = new double[n];
        this.peepOutput = new double[n];
        this.peepInput = new double[n];
    }

    /**
     * Step {@code k} (counted from {@code from}); steps are taken from the last to the first, the product in
     * {@code recurrent} computed from {@code dzStep} before each but the first.
     */
    void step(int k) {
        int t = from + k;
        int stepSize = mb * n;
        int at = t * stepSize;          // step t in the forward pass's arrays
        int dyAt = k * stepSize;
        int dzAt = k * 4 * stepSize;
        boolean last = first;
        first = false;
        boolean peephole = peepF != null;
        for (int b = 0; b < mb; b++) {
            int row = b * n;
            int gateRow = 4 * row;
            for (int j = 0; j < n; j++) {
                int e = row + j;
                int a = at + e;
                double dyv = dy.get(dyAt + e);
                double vo = o.get(a);
                double tc = tanhC.get(a);
                double vi = i.get(a);
                double vg = g.get(a);
                double vf = f.get(a);
                double cPrev = t > 0 ? c.get(a - stepSize) : c0 != null ? c0.get(e) : 0.0;
                double cell;
                if (last) {
                    cell = 0.0;
                } else {
                    dyv += recurrent.get(e);
                    cell = dc[e] * f.get(a + stepSize);
                    if (peephole) {
                        cell += dzStep.get(gateRow + FORGET * n + j) * peepF[j]
                                + dzStep.get(gateRow + INPUT * n + j) * peepI[j];
                    }
                }
                double dzo = dyv * tc * vo * (1.0 - vo);
                cell += dyv * vo * (1.0 - tc * tc);
                if (peephole) cell += dzo * peepO[j];
                dc[e] = cell;
                double dzg = cell * vi * (1.0 - vg * vg);
                double dzf = cell * cPrev * vf * (1.0 - vf);
                double dzi = cell * vg * vi * (1.0 - vi);
                put(dzAt + gateRow, gateRow, CANDIDATE * n + j, dzg);
                put(dzAt + gateRow, gateRow, FORGET * n + j, dzf);
                put(dzAt + gateRow, gateRow, OUTPUT * n + j, dzo);
                put(dzAt + gateRow, gateRow, INPUT * n + j, dzi);
                if (peephole) {
                    peepForget[j] += dzf * cPrev;
                    peepInput[j] += dzi * cPrev;
                    peepOutput[j] += dzo * c.get(a);
                }
            }
        }
    }

    private void put(int sequenceRow, int stepRow, int column, double v) {
        dz.set(sequenceRow + column, v);
        dzStep.set(stepRow + column, v);
        bias[column] += v;
    }
}
