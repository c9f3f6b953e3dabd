package io.sparklstm.model;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Generates text with a character language model (a {@link Task#STEP_CLASSIFICATION} network whose classes
 * and input channels are the vocabulary, one character each): reads a prime through
 * {@link MultiLayerNetwork#rnnTimeStep}, then draws each next character from the predicted distribution,
 * sharpened or flattened by a temperature, and feeds it back one step at a time.
 *
 * <p>Not thread-safe: the recurrent state lives in the network, which this sampler owns while it runs.
 */
public final class TextSampler {

    /** What is written for the reserved class of characters outside the vocabulary, if it is ever drawn. */
    public static final String REPLACEMENT = "\uFFFD";

    private final MultiLayerNetwork network;
    private final List<String> vocabulary;
    private final Map<Integer, Integer> index = new HashMap<>();

    /**
     * @param vocabulary class names in index order; each a single character, except a reserved class
     *                   (e.g. {@code <unk>}) that no prime character maps to
     */
    public TextSampler(MultiLayerNetwork network, List<String> vocabulary) {
        this.network = network;
        this.vocabulary = List.copyOf(vocabulary);
        for (int i = 0; i < vocabulary.size(); i++) {
            String name = vocabulary.get(i);
            if (name.codePointCount(0, name.length()) == 1) index.put(name.codePointAt(0), i);
        }
    }

    /**
     * The {@code length} characters that follow {@code prime}.
     *
     * @param temperature divides the log-probabilities before drawing: below 1 more likely characters gain,
     *                    above 1 the draw is flatter; 0 always takes the most likely character
     * @throws IllegalArgumentException naming the first prime character outside the vocabulary
     */
    public String sample(String prime, int length, double temperature, long seed) {
        if (prime.isEmpty()) throw new IllegalArgumentException("the prime is empty: give at least one character");
        if (length < 0) throw new IllegalArgumentException("length " + length + " is negative");
        if (!(temperature >= 0)) throw new IllegalArgumentException("temperature " + temperature + " is not >= 0");
        int[] primeClasses = classesOf(prime);
        network.rnnClearPreviousState();
        INDArray probabilities = lastStep(network.rnnTimeStep(oneHot(primeClasses)));
        Random random = new Random(seed);
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int next = draw(probabilities, temperature, random);
            String name = vocabulary.get(next);
            out.append(name.codePointCount(0, name.length()) == 1 ? name : REPLACEMENT);
            if (i + 1 < length) {
                probabilities = lastStep(network.rnnTimeStep(oneHot(new int[]{next})));
            }
        }
        network.rnnClearPreviousState();
        return out.toString();
    }

    private int[] classesOf(String prime) {
        int[] cps = prime.codePoints().toArray();
        int[] classes = new int[cps.length];
        for (int t = 0; t < cps.length; t++) {
            Integer c = index.get(cps[t]);
            if (c == null) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "character %s (U+%04X) at position %d of the prime is not in the model's vocabulary of %d "
                                + "characters", Character.isISOControl(cps[t]) || Character.isWhitespace(cps[t])
                                ? "" : "'" + new String(Character.toChars(cps[t])) + "'", cps[t], t + 1,
                        vocabulary.size()));
            }
            classes[t] = c;
        }
        return classes;
    }

    /** One-hot {@code [1, vocabulary, steps]}. */
    private INDArray oneHot(int[] classes) {
        INDArray x = Nd4j.zeros(DataType.FLOAT, 1, vocabulary.size(), classes.length);
        for (int t = 0; t < classes.length; t++) x.putScalar(new long[]{0, classes[t], t}, 1f);
        return x;
    }

    private static INDArray lastStep(INDArray output) {
        if (output.rank() == 2) return output.getRow(0);
        return output.slice(0).getColumn(output.size(2) - 1);
    }

    static int draw(INDArray probabilities, double temperature, Random random) {
        int n = (int) probabilities.length();
        double[] p = new double[n];
        int best = 0;
        for (int i = 0; i < n; i++) {
            p[i] = probabilities.getDouble(i);
            if (p[i] > p[best]) best = i;
        }
        if (temperature == 0) return best;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            p[i] = p[i] <= 0 ? 0 : Math.exp(Math.log(p[i] / p[best]) / temperature);
            sum += p[i];
        }
        double u = random.nextDouble() * sum;
        for (int i = 0; i < n; i++) {
            u -= p[i];
            if (u < 0) return i;
        }
        return best;
    }
}
