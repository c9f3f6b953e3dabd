package io.sparklstm.jobs.evaluate;

import org.nd4j.evaluation.IEvaluation;
import org.nd4j.evaluation.regression.RegressionEvaluation;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Evaluation counts and summed loss of some minibatches; merged across partitions. The loss is a mean over
 * examples, or, for per-step labels, over predicted steps (nats per character for a language model).
 */
public final class EvalOutcome implements Serializable {

    private final IEvaluation<?> evaluation;
    /** the naive forecasts' evaluations on the same windows, by baseline (forecasts only) */
    private final Map<String, RegressionEvaluation> baselines;
    private double lossSum;
    private long examples;
    private long lossTerms;

    EvalOutcome(IEvaluation<?> evaluation) {
        this(evaluation, Map.of());
    }

    EvalOutcome(IEvaluation<?> evaluation, Map<String, RegressionEvaluation> baselines) {
        this.evaluation = evaluation;
        this.baselines = new LinkedHashMap<>(baselines);
    }

    void add(double meanLoss, long n) {
        lossSum += meanLoss * n;
        examples += n;
        lossTerms += n;
    }

    /** Adds {@code n} examples whose loss was summed over their predicted steps. */
    void addSteps(io.sparklstm.model.StepCrossEntropy loss, long n) {
        lossSum += loss.nats();
        lossTerms += loss.steps();
        examples += n;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    EvalOutcome merge(EvalOutcome other) {
        ((IEvaluation) evaluation).merge(other.evaluation);
        other.baselines.forEach((name, e) -> baselines.merge(name, e, (a, b) -> {
            a.merge(b);
            return a;
        }));
        lossSum += other.lossSum;
        examples += other.examples;
        lossTerms += other.lossTerms;
        return this;
    }

    public IEvaluation<?> evaluation() {
        return evaluation;
    }

    /** The naive forecasts' evaluations on the same windows, by baseline; empty unless asked for. */
    public Map<String, RegressionEvaluation> baselines() {
        return baselines;
    }

    public double loss() {
        return lossTerms == 0 ? Double.NaN : lossSum / lossTerms;
    }

    /** What the loss is averaged over: examples, or predicted steps for per-step labels. */
    public long lossTerms() {
        return lossTerms;
    }

    public long examples() {
        return examples;
    }
}
