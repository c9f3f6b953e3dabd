package io.sparklstm.model.reference;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.AbstractLSTM;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves {@link LstmReference} (and so the parameter layout its Javadoc states) against DL4J's own LSTM and
 * GravesLSTM layers, in double precision, with random weights in every position, so that a wrong block order
 * or a wrong peephole column would show; the negative controls check that they do show.
 */
class LstmEquationsTest {

    private static final int N_IN = 3;
    private static final int UNITS = 5;
    private static final int STEPS = 7;
    private static final int MINIBATCH = 2;
    private static final double TOLERANCE = 1e-6;
    /** Wrong layouts must miss by far more than rounding error. */
    private static final double MISS = 1e-3;

    /** Parameters in DL4J's layout, see {@link LstmReference}. */
    private record Params(double[][] w, double[][] rw, double[] b) {
        LstmReference reference(boolean peephole) {
            return new LstmReference(w, rw, b, peephole);
        }
    }

    @Test
    void lstmMatchesTheEquations() {
        assertMatches(false, 11L);
    }

    @Test
    void gravesLstmMatchesTheEquationsWithPeepholes() {
        assertMatches(true, 12L);
    }

    @Test
    void dl4jInitialisesTheForgetGateBiasInBlockOne() {
        for (boolean peephole : new boolean[]{false, true}) {
            MultiLayerNetwork net = network(peephole, 2.5);
            double[] b = net.getLayer(0).getParam("b").toDoubleVector();
            for (int col = 0; col < 4 * UNITS; col++) {
                double expected = col / UNITS == LstmReference.FORGET ? 2.5 : 0.0;
                assertEquals(expected, b[col], 0.0, "bias column " + col + ", peephole " + peephole);
            }
            // DL4J's own (Xavier) weights with that bias obey the equations too.
            double[][][] xs = randomInput(new Random(13L));
            assertTrue(maxDifference(net, read(net), peephole, xs) <= TOLERANCE);
        }
    }

    /** Negative controls: each plausible misreading of the layout disagrees with DL4J. */
    @Test
    void aWrongLayoutDoesNotMatch() {
        MultiLayerNetwork net = network(true, 1.0);
        Params p = randomParams(new Random(14L), true);
        write(net, p);
        double[][][] xs = randomInput(new Random(15L));
        assertTrue(maxDifference(net, p, true, xs) <= TOLERANCE);

        Params candidateIsInputGate = new Params(swapBlocks(p.w(), LstmReference.CANDIDATE, LstmReference.INPUT_GATE),
                swapBlocks(p.rw(), LstmReference.CANDIDATE, LstmReference.INPUT_GATE),
                swapBlocks(new double[][]{p.b()}, LstmReference.CANDIDATE, LstmReference.INPUT_GATE)[0]);
        assertTrue(maxDifference(net, candidateIsInputGate, true, xs) > MISS, "blocks 0 and 3 swapped");
        Params forgetIsOutput = new Params(swapBlocks(p.w(), LstmReference.FORGET, LstmReference.OUTPUT),
                swapBlocks(p.rw(), LstmReference.FORGET, LstmReference.OUTPUT),
                swapBlocks(new double[][]{p.b()}, LstmReference.FORGET, LstmReference.OUTPUT)[0]);
        assertTrue(maxDifference(net, forgetIsOutput, true, xs) > MISS, "blocks 1 and 2 swapped");
        assertTrue(maxDifference(net, swapPeepholes(p, LstmReference.PEEPHOLE_FORGET,
                LstmReference.PEEPHOLE_INPUT_GATE), true, xs) > MISS, "forget and input-gate peepholes swapped");
        assertTrue(maxDifference(net, swapPeepholes(p, LstmReference.PEEPHOLE_FORGET,
                LstmReference.PEEPHOLE_OUTPUT), true, xs) > MISS, "forget and output peepholes swapped");
        Params noPeepholes = new Params(p.w(),
                Arrays.stream(p.rw()).map(r -> Arrays.copyOf(r, 4 * UNITS)).toArray(double[][]::new), p.b());
        assertTrue(maxDifference(net, noPeepholes, false, xs) > MISS, "peepholes ignored");
    }

    @Test
    void steppingTheReferenceEqualsItsWholeSequenceRun() {
        Params p = randomParams(new Random(16L), true);
        LstmReference ref = p.reference(true);
        double[][] xs = randomInput(new Random(17L))[0];
        double[][] whole = ref.run(xs);
        LstmReference.State s = LstmReference.State.zero(UNITS);
        for (int t = 0; t < STEPS; t++) {
            s = ref.step(xs[t], s);
            assertArrayEquals(whole[t], s.h(), 0.0, "step " + t);
        }
    }

    /**
     * DL4J's stepping state ("prevAct", "prevMem") is the reference's (h, c): set the reference's state
     * half-way through a sequence into the layer and DL4J continues exactly where the reference would.
     */
    @Test
    void dl4jStepStateIsTheReferenceState() {
        for (boolean peephole : new boolean[]{false, true}) {
            MultiLayerNetwork net = network(peephole, 1.0);
            Params p = randomParams(new Random(18L), peephole);
            write(net, p);
            LstmReference ref = p.reference(peephole);
            double[][] xs = randomInput(new Random(19L))[0];
            RecurrentLayer layer = (RecurrentLayer) net.getLayer(0);

            int split = 3;
            LstmReference.State s = LstmReference.State.zero(UNITS);
            for (int t = 0; t < split; t++) {
                s = ref.step(xs[t], s);
            }
            layer.rnnSetPreviousState(Map.of("prevAct", row(s.h()), "prevMem", row(s.c())));
            for (int t = split; t < STEPS; t++) {
                s = ref.step(xs[t], s);
                INDArray x = Nd4j.create(xs[t]).reshape(1, N_IN, 1);
                double[] h = layer.rnnTimeStep(x, LayerWorkspaceMgr.noWorkspaces()).ravel().toDoubleVector();
                Map<String, INDArray> state = layer.rnnGetPreviousState();
                assertArrayEquals(s.h(), h, TOLERANCE, "h at step " + t + ", peephole " + peephole);
                assertArrayEquals(s.h(), state.get("prevAct").toDoubleVector(), TOLERANCE);
                assertArrayEquals(s.c(), state.get("prevMem").toDoubleVector(), TOLERANCE,
                        "c at step " + t + ", peephole " + peephole);
            }
        }
    }

    private static void assertMatches(boolean peephole, long seed) {
        Random random = new Random(seed);
        MultiLayerNetwork net = network(peephole, 1.0);
        Params p = randomParams(random, peephole);
        write(net, p);
        assertArrayEquals(p.b(), net.getLayer(0).getParam("b").toDoubleVector(), 0.0,
                "the explicit bias replaces forgetGateBiasInit");
        double diff = maxDifference(net, p, peephole, randomInput(random));
        assertTrue(diff <= TOLERANCE, "max |DL4J - reference| = " + diff);
    }

    /** A single-layer double-precision network; {@code forgetBias} is DL4J's forgetGateBiasInit. */
    private static MultiLayerNetwork network(boolean peephole, double forgetBias) {
        AbstractLSTM.Builder<?> layer = peephole ? new GravesLSTM.Builder() : new LSTM.Builder();
        layer.forgetGateBiasInit(forgetBias).nIn(N_IN).nOut(UNITS).activation(Activation.TANH);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE)
                .seed(3)
                .list()
                .layer(layer.build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Uniform weights in [-0.8, 0.8]; the forget bias is shifted well away from DL4J's initial 1.0. */
    private static Params randomParams(Random random, boolean peephole) {
        double[][] w = uniform(random, N_IN, 4 * UNITS);
        double[][] rw = uniform(random, UNITS, 4 * UNITS + (peephole ? 3 : 0));
        double[] b = uniform(random, 1, 4 * UNITS)[0];
        for (int j = 0; j < UNITS; j++) {
            b[LstmReference.FORGET * UNITS + j] += 1.5;
        }
        return new Params(w, rw, b);
    }

    private static double[][] uniform(Random random, int rows, int cols) {
        double[][] a = new double[rows][cols];
        for (double[] row : a) {
            for (int j = 0; j < cols; j++) {
                row[j] = (random.nextDouble() * 2 - 1) * 0.8;
            }
        }
        return a;
    }

    /** {@code [minibatch][steps][nIn]} in [-1, 1]. */
    private static double[][][] randomInput(Random random) {
        double[][][] xs = new double[MINIBATCH][][];
        for (int m = 0; m < MINIBATCH; m++) {
            xs[m] = uniform(random, STEPS, N_IN);
            for (double[] x : xs[m]) {
                for (int k = 0; k < N_IN; k++) x[k] /= 0.8;
            }
        }
        return xs;
    }

    private static void write(MultiLayerNetwork net, Params p) {
        Layer layer = net.getLayer(0);
        layer.setParam("W", Nd4j.create(p.w()));
        layer.setParam("RW", Nd4j.create(p.rw()));
        layer.setParam("b", Nd4j.create(p.b()).reshape(1, p.b().length));
    }

    private static Params read(MultiLayerNetwork net) {
        Layer layer = net.getLayer(0);
        return new Params(layer.getParam("W").toDoubleMatrix(), layer.getParam("RW").toDoubleMatrix(),
                layer.getParam("b").toDoubleVector());
    }

    /** Max |h_DL4J - h_reference| over every example, unit and step of a whole-sequence forward pass. */
    private static double maxDifference(MultiLayerNetwork net, Params p, boolean peephole, double[][][] xs) {
        INDArray input = Nd4j.create(DataType.DOUBLE, MINIBATCH, N_IN, STEPS);
        for (int m = 0; m < MINIBATCH; m++) {
            for (int t = 0; t < STEPS; t++) {
                for (int k = 0; k < N_IN; k++) {
                    input.putScalar(new int[]{m, k, t}, xs[m][t][k]);
                }
            }
        }
        INDArray h = net.getLayer(0).activate(input, false, LayerWorkspaceMgr.noWorkspaces());
        assertArrayEquals(new long[]{MINIBATCH, UNITS, STEPS}, h.shape());
        LstmReference ref = p.reference(peephole);
        double max = 0;
        for (int m = 0; m < MINIBATCH; m++) {
            double[][] expected = ref.run(xs[m]);
            for (int t = 0; t < STEPS; t++) {
                for (int j = 0; j < UNITS; j++) {
                    max = Math.max(max, Math.abs(h.getDouble(m, j, t) - expected[t][j]));
                }
            }
        }
        return max;
    }

    private static double[][] swapBlocks(double[][] a, int x, int y) {
        double[][] out = new double[a.length][];
        for (int r = 0; r < a.length; r++) {
            out[r] = a[r].clone();
            System.arraycopy(a[r], y * UNITS, out[r], x * UNITS, UNITS);
            System.arraycopy(a[r], x * UNITS, out[r], y * UNITS, UNITS);
        }
        return out;
    }

    private static Params swapPeepholes(Params p, int x, int y) {
        double[][] rw = Arrays.stream(p.rw()).map(double[]::clone).toArray(double[][]::new);
        for (int r = 0; r < rw.length; r++) {
            rw[r][4 * UNITS + x] = p.rw()[r][4 * UNITS + y];
            rw[r][4 * UNITS + y] = p.rw()[r][4 * UNITS + x];
        }
        return new Params(p.w(), rw, p.b());
    }

    private static INDArray row(double[] v) {
        return Nd4j.create(v).reshape(1, v.length);
    }
}
