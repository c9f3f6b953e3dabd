package io.sparklstm.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Cross-entropy of per-step class probabilities, in nats, summed over the predicted steps: the figure a
 * language model is judged by (mean nats per character). DL4J's own score of an {@code RnnOutputLayer}
 * divides the sum over steps by the number of sequences, which depends on the sequence length and the
 * truncated back-propagation length; this does not.
 *
 * @param nats  summed {@code -ln p(label)} over every unmasked step
 * @param steps unmasked steps (predictions) counted
 */
public record StepCrossEntropy(double nats, long steps) {

    /** Probabilities below this count as this, so that one impossible label gives a large, finite loss. */
    private static final double FLOOR = 1e-12;

    /**
     * @param probabilities {@code [minibatch, classes, steps]} softmax outputs
     * @param labels        one-hot {@code [minibatch, classes, steps]}
     * @param mask          {@code [minibatch, steps]}, 1 where a step is predicted; null: every step
     */
    public static StepCrossEntropy of(INDArray probabilities, INDArray labels, INDArray mask) {
        if (probabilities.rank() != 3 || !java.util.Arrays.equals(probabilities.shape(), labels.shape())) {
            throw new IllegalArgumentException("expected [minibatch, classes, steps] outputs and labels of one shape, "
                    + "got " + java.util.Arrays.toString(probabilities.shape()) + " and "
                    + java.util.Arrays.toString(labels.shape()));
        }
        // probability of the labelled class at each step: [minibatch, steps]
        INDArray picked = probabilities.castTo(labels.dataType()).mul(labels).sum(1);
        INDArray logs = Transforms.log(Transforms.max(picked, FLOOR, true), false);
        long steps;
        if (mask == null) {
            steps = picked.length();
        } else {
            INDArray m = mask.castTo(logs.dataType()).reshape(picked.shape());
            logs.muli(m);
            steps = Math.round(m.sumNumber().doubleValue());
        }
        return new StepCrossEntropy(-logs.sumNumber().doubleValue(), steps);
    }

    /** Mean nats per predicted step; NaN when nothing was predicted. */
    public double mean() {
        return steps == 0 ? Double.NaN : nats / steps;
    }

    public StepCrossEntropy plus(StepCrossEntropy other) {
        return new StepCrossEntropy(nats + other.nats, steps + other.steps);
    }
}
