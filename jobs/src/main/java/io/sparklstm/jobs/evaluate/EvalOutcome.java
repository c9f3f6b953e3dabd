package io.sparklstm.jobs.evaluate;

import org.nd4j.evaluation.IEvaluation;

import java.io.Serializable;

/** Evaluation counts and summed loss of some minibatches; merged across partitions. */
public final class EvalOutcome implements Serializable {

    private final IEvaluation<?> evaluation;
    private double lossSum;
    private long examples;

    EvalOutcome(IEvaluation<?> evaluation) {
        this.evaluation = evaluation;
    }

    void add(double meanLoss, long n) {
        lossSum += meanLoss * n;
        examples += n;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    EvalOutcome merge(EvalOutcome other) {
        ((IEvaluation) evaluation).merge(other.evaluation);
        lossSum += other.lossSum;
        examples += other.examples;
        return this;
    }

    public IEvaluation<?> evaluation() {
        return evaluation;
    }

    public double loss() {
        return examples == 0 ? Double.NaN : lossSum / examples;
    }

    public long examples() {
        return examples;
    }
}
