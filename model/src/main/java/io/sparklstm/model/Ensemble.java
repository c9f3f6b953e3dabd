package io.sparklstm.model;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;

/**
 * The networks of a model ({@code model.ensembleMembers}; one for most models) and their combined output: the
 * mean of the members' outputs, that is of their class probabilities or of their standardized forecasts. One
 * member's output is its own, computed as before ensembles existed.
 */
public final class Ensemble {

    /** The smallest probability the ensemble's cross-entropy takes a log of, as DL4J's MCXENT clips it. */
    private static final double PROBABILITY_FLOOR = 1e-10;

    private final List<MultiLayerNetwork> members;

    public Ensemble(List<MultiLayerNetwork> members) {
        if (members.isEmpty()) throw new IllegalArgumentException("an ensemble needs at least one network");
        this.members = List.copyOf(members);
    }

    public static Ensemble of(MultiLayerNetwork network) {
        return new Ensemble(List.of(network));
    }

    public List<MultiLayerNetwork> members() {
        return members;
    }

    public int size() {
        return members.size();
    }

    /**
     * The one network, for a use that cannot combine several (stepwise inference, sampling, warm start); refused
     * for an ensemble, naming {@code what} and the setting.
     */
    public MultiLayerNetwork single(String what) {
        if (members.size() > 1) {
            throw new IllegalArgumentException(what + " works with one network; this model is an ensemble of "
                    + members.size() + " (" + ModelKeys.ENSEMBLE_MEMBERS.key() + " = " + members.size()
                    + "): train it with " + ModelKeys.ENSEMBLE_MEMBERS.key() + " = 1 for this use");
        }
        return members.get(0);
    }

    /** Inference output (masks may be null): one member's own, or the element-wise mean of the members'. */
    public INDArray output(INDArray features, INDArray featureMask, INDArray labelMask) {
        if (members.size() == 1) return members.get(0).output(features, false, featureMask, labelMask);
        INDArray sum = null;
        for (MultiLayerNetwork member : members) {
            INDArray out = member.output(features, false, featureMask, labelMask);
            sum = sum == null ? out.dup() : sum.addi(out);
        }
        return sum.divi(members.size());
    }

    /**
     * The loss of a combined sequence output against its labels, per example, as the members' output layer
     * measures it ({@code NetworkFactory}): cross-entropy of the mean class probabilities (classification), or the
     * squared error averaged over the outputs (forecasting). No weight penalty: an ensemble has no one set of
     * weights. Per-step outputs are scored by {@link StepCrossEntropy}.
     */
    public static double meanLoss(INDArray output, INDArray labels, Task task) {
        if (task.perStep()) throw new IllegalArgumentException("per-step outputs are scored by StepCrossEntropy");
        INDArray y = labels.castTo(DataType.DOUBLE);
        INDArray p = output.castTo(DataType.DOUBLE);
        long examples = y.size(0);
        if (examples == 0) return 0;
        double total;
        if (task.isClassification()) {
            INDArray logP = Transforms.log(Transforms.max(p, PROBABILITY_FLOOR, true), false);
            total = -y.mul(logP).sumNumber().doubleValue();
        } else {
            INDArray diff = y.sub(p);
            total = diff.mul(diff).sumNumber().doubleValue() / y.size(1);
        }
        return total / examples;
    }
}
