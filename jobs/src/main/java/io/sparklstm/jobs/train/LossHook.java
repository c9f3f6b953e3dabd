package io.sparklstm.jobs.train;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Runs on the workers after every fitted minibatch and adds its loss and size to Spark accumulators, so the
 * driver learns the epoch's mean training loss without an extra pass over the data: per example, or per
 * predicted step for per-step labels. Its example count is what the workers fitted, minibatch by minibatch,
 * which train compares with the training split after every epoch. Spark merges a task's accumulator updates only
 * when the task succeeds, and a result task's only once per partition, so retried tasks do not count twice; a
 * partition recomputed in a later stage would (dl4j-spark persists the round's results, and aggregates them
 * without a shuffle up to about 9 workers), and then the epoch fails loudly rather than passing unnoticed.
 */
public final class LossHook implements TrainingHook {

    private final DoubleAccumulator lossSum;
    private final LongAccumulator examples;
    private final LongAccumulator lossTerms;
    private final LongAccumulator minibatches;

    public LossHook(JavaSparkContext sc) {
        this.lossSum = sc.sc().doubleAccumulator("training loss sum");
        this.examples = sc.sc().longAccumulator("training examples");
        this.lossTerms = sc.sc().longAccumulator("training loss terms");
        this.minibatches = sc.sc().longAccumulator("training minibatches");
    }

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {
        int n = minibatch.numExamples();
        lossSum.add(model.score() * n);
        lossTerms.add(minibatch.getLabels().rank() == 3 ? scoredSteps(minibatch, model) : n);
        examples.add(n);
        minibatches.add(1);
    }

    /**
     * Steps behind DL4J's score of per-step labels, which sums over the steps (of the last truncated-BPTT
     * segment, with truncation) and divides by the examples: so that the training loss is per step, as the
     * validation loss is.
     */
    static long scoredSteps(DataSet minibatch, Model model) {
        long steps = minibatch.getLabels().size(2);
        long from = 0;
        if (model instanceof MultiLayerNetwork net
                && net.getLayerWiseConfigurations().getBackpropType() == BackpropType.TruncatedBPTT) {
            long segment = net.getLayerWiseConfigurations().getTbpttFwdLength();
            from = (steps - 1) / segment * segment;
        }
        INDArray mask = minibatch.getLabelsMaskArray();
        if (mask == null) {
            return minibatch.numExamples() * (steps - from);
        }
        return Math.round(mask.get(NDArrayIndex.all(), NDArrayIndex.interval(from, steps)).sumNumber().doubleValue());
    }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
        long n = minibatch.getFeatures(0).size(0);
        lossSum.add(model.score() * n);
        examples.add(n);
        lossTerms.add(n);
        minibatches.add(1);
    }

    public void reset() {
        lossSum.reset();
        examples.reset();
        lossTerms.reset();
        minibatches.reset();
    }

    public double meanLoss() {
        return lossTerms.value() == 0 ? Double.NaN : lossSum.value() / lossTerms.value();
    }

    public long examples() {
        return examples.value();
    }

    public long minibatches() {
        return minibatches.value();
    }
}
