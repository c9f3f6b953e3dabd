package io.sparklstm.model.reference;

import java.util.Arrays;

/**
 * The LSTM cell written out in plain Java (double precision, arrays only), laid out exactly as DL4J
 * 1.0.0-M2.1 stores its parameters, so that DL4J's layers can be checked against the equations and so that
 * the parameter layout is written down in one place, proven by {@link LstmEquationsTest}.
 *
 * <h2>Equations</h2>
 * With {@code n = units}, sigmoid {@code σ} (DL4J's default gate activation) and {@code tanh} (the layer
 * activation), for each step {@code t}:
 * <pre>
 *   z    = x_t · W + h_{t-1} · RW[:, 0..4n) + b                 (a row of 4n pre-activations)
 *   g_t  = tanh(z[block 0])                                     candidate (block input)
 *   f_t  = σ(z[block 1] + p_f ∘ c_{t-1})                        forget gate
 *   i_t  = σ(z[block 3] + p_i ∘ c_{t-1})                        input gate
 *   c_t  = f_t ∘ c_{t-1} + i_t ∘ g_t
 *   o_t  = σ(z[block 2] + p_o ∘ c_t)                            output gate (peephole sees the NEW cell)
 *   h_t  = o_t ∘ tanh(c_t)
 * </pre>
 * The peephole terms {@code p ∘ c} exist only for {@code GravesLSTM}; plain {@code LSTM} has none. The
 * initial state is {@code h_0 = c_0 = 0}.
 *
 * <h2>DL4J parameter layout</h2>
 * Vectors are rows; DL4J computes {@code x · W}, not {@code W · x}.
 * <ul>
 *   <li>{@code "W"}, input weights, {@code [nIn, 4n]}: column {@code k*n + j} feeds unit {@code j} of
 *       block {@code k}.</li>
 *   <li>{@code "RW"}, recurrent weights, {@code [n, 4n]} for {@code LSTM} and {@code [n, 4n + 3]} for
 *       {@code GravesLSTM}; its first {@code 4n} columns are blocked like {@code W}. The 3 extra columns of
 *       {@code GravesLSTM} are the diagonal peephole weights, one value per unit {@code j} (row {@code j}):
 *       column {@code 4n} = {@code p_f} (forget gate, from {@code c_{t-1}}), column {@code 4n+1} =
 *       {@code p_o} (output gate, from {@code c_t}), column {@code 4n+2} = {@code p_i} (input gate, from
 *       {@code c_{t-1}}). They are not part of the {@code h_{t-1}} product.</li>
 *   <li>{@code "b"}, bias, {@code [1, 4n]} (a row), blocked like {@code W}. DL4J initialises block 1
 *       (forget) to {@code forgetGateBiasInit} (default 1.0) and the rest to 0.</li>
 * </ul>
 * The 4 blocks, in DL4J's order ("IFOG" in its source):
 * <ol start="0">
 *   <li>the candidate {@code g}, squashed with the layer activation (tanh). DL4J's source calls this block
 *       "input activations", its weights {@code wi}/{@code wI} and its bias {@code bi};</li>
 *   <li>the forget gate {@code f};</li>
 *   <li>the output gate {@code o};</li>
 *   <li>the input gate {@code i}, squashed with the gate activation (sigmoid). DL4J's source calls this
 *       block the "input modulation gate", {@code wg}/{@code wG}/{@code bg}, and its peephole
 *       {@code wGG}.</li>
 * </ol>
 * Beware the names: what DL4J's source calls "input" (block 0) is the textbook candidate, and what it calls
 * "input modulation gate" (block 3) is the textbook input gate, the reverse of the usual convention. The
 * arithmetic is the textbook one: the equations above, including the peepholes of Gers and Schmidhuber as
 * used by Graves (input and forget gates see {@code c_{t-1}}, the output gate sees {@code c_t}), match DL4J's
 * {@code GravesLSTM} to rounding error.
 */
public final class LstmReference {

    /** Block index of the candidate {@code g} (tanh) within W, the first 4n columns of RW, and b. */
    public static final int CANDIDATE = 0;
    /** Block index of the forget gate. */
    public static final int FORGET = 1;
    /** Block index of the output gate. */
    public static final int OUTPUT = 2;
    /** Block index of the input gate (DL4J's "input modulation gate"). */
    public static final int INPUT_GATE = 3;

    /** Offset, after the 4n recurrent columns of a GravesLSTM RW, of the forget-gate peephole column. */
    public static final int PEEPHOLE_FORGET = 0;
    /** Offset of the output-gate peephole column (it multiplies c_t, not c_{t-1}). */
    public static final int PEEPHOLE_OUTPUT = 1;
    /** Offset of the input-gate peephole column. */
    public static final int PEEPHOLE_INPUT_GATE = 2;

    /** The recurrent state a caller carries from one step to the next. */
    public record State(double[] h, double[] c) {
        public static State zero(int units) {
            return new State(new double[units], new double[units]);
        }
    }

    private final double[][] w;
    private final double[][] rw;
    private final double[] b;
    private final boolean peephole;
    private final int nIn;
    private final int units;

    /**
     * @param w        input weights {@code [nIn][4n]}
     * @param rw       recurrent weights {@code [n][4n]}, or {@code [n][4n + 3]} with peepholes
     * @param b        bias {@code [4n]}
     * @param peephole whether this is a GravesLSTM (peephole) cell
     */
    public LstmReference(double[][] w, double[][] rw, double[] b, boolean peephole) {
        this.units = rw.length;
        this.nIn = w.length;
        int width = 4 * units + (peephole ? 3 : 0);
        if (b.length != 4 * units) {
            throw new IllegalArgumentException("bias must have 4*units = " + 4 * units + " values, got " + b.length);
        }
        for (double[] row : w) {
            if (row.length != 4 * units) throw new IllegalArgumentException("W rows must have 4*units columns");
        }
        for (double[] row : rw) {
            if (row.length != width) throw new IllegalArgumentException("RW rows must have " + width + " columns");
        }
        this.w = w;
        this.rw = rw;
        this.b = b;
        this.peephole = peephole;
    }

    public int units() {
        return units;
    }

    /** One step: the state after reading {@code x} ({@code [nIn]}) from state {@code prev}. */
    public State step(double[] x, State prev) {
        if (x.length != nIn) throw new IllegalArgumentException("x must have nIn = " + nIn + " values");
        int n = units;
        double[] z = b.clone();
        for (int k = 0; k < nIn; k++) {
            for (int col = 0; col < 4 * n; col++) {
                z[col] += x[k] * w[k][col];
            }
        }
        for (int k = 0; k < n; k++) {
            for (int col = 0; col < 4 * n; col++) {
                z[col] += prev.h()[k] * rw[k][col];
            }
        }
        double[] h = new double[n];
        double[] c = new double[n];
        for (int j = 0; j < n; j++) {
            double cPrev = prev.c()[j];
            double g = Math.tanh(z[CANDIDATE * n + j]);
            double f = sigmoid(z[FORGET * n + j] + peep(PEEPHOLE_FORGET, j) * cPrev);
            double i = sigmoid(z[INPUT_GATE * n + j] + peep(PEEPHOLE_INPUT_GATE, j) * cPrev);
            c[j] = f * cPrev + i * g;
            double o = sigmoid(z[OUTPUT * n + j] + peep(PEEPHOLE_OUTPUT, j) * c[j]);
            h[j] = o * Math.tanh(c[j]);
        }
        return new State(h, c);
    }

    /** The whole sequence from the zero state: {@code xs[t][nIn]} to {@code h[t][units]}. */
    public double[][] run(double[][] xs) {
        double[][] hs = new double[xs.length][];
        State s = State.zero(units);
        for (int t = 0; t < xs.length; t++) {
            s = step(xs[t], s);
            hs[t] = Arrays.copyOf(s.h(), units);
        }
        return hs;
    }

    private double peep(int offset, int unit) {
        return peephole ? rw[unit][4 * units + offset] : 0.0;
    }

    private static double sigmoid(double v) {
        return 1.0 / (1.0 + Math.exp(-v));
    }
}
