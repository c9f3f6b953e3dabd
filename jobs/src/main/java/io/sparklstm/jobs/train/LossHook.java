package io.sparklstm.jobs.train;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Runs on the workers after every fitted minibatch and adds its loss and size to Spark accumulators, so the
 * driver learns the epoch's mean training loss without an extra pass over the data.
 */
public final class LossHook implements TrainingHook {

    private final DoubleAccumulator lossSum;
    private final LongAccumulator examples;
    private final LongAccumulator minibatches;

    public LossHook(JavaSparkContext sc) {
        this.lossSum = sc.sc().doubleAccumulator("training loss sum");
        this.examples = sc.sc().longAccumulator("training examples");
        this.minibatches = sc.sc().longAccumulator("training minibatches");
    }

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {
        int n = minibatch.numExamples();
        lossSum.add(model.score() * n);
        examples.add(n);
        minibatches.add(1);
    }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
        long n = minibatch.getFeatures(0).size(0);
        lossSum.add(model.score() * n);
        examples.add(n);
        minibatches.add(1);
    }

    public void reset() {
        lossSum.reset();
        examples.reset();
        minibatches.reset();
    }

    public double meanLoss() {
        return examples.value() == 0 ? Double.NaN : lossSum.value() / examples.value();
    }

    public long examples() {
        return examples.value();
    }

    public long minibatches() {
        return minibatches.value();
    }
}
