package io.sparklstm.jobs.evaluate;

import io.sparklstm.model.StepCrossEntropy;
import io.sparklstm.model.Task;
import io.sparklstm.prep.io.HadoopConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.IEvaluation;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.evaluation.regression.RegressionEvaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Evaluates a network on minibatch files across the executors: the parameters are broadcast once, each
 * partition rebuilds the network, loads its files, and returns its evaluation counts and loss, which are
 * merged on the driver. Nothing but the counts comes back.
 */
public final class DistributedEvaluator {

    private DistributedEvaluator() {
    }

    public static EvalOutcome evaluate(JavaSparkContext sc, MultiLayerNetwork network, List<String> files,
                                       Task task, int outputs) {
        EvalOutcome empty = new EvalOutcome(emptyEvaluation(task, outputs));
        if (files.isEmpty()) {
            return empty;
        }
        HadoopConf hadoop = new HadoopConf(sc.hadoopConfiguration());
        Broadcast<String> conf = sc.broadcast(network.getLayerWiseConfigurations().toJson());
        Broadcast<INDArray> params = sc.broadcast(network.params().dup());
        try {
            int slices = Math.max(1, Math.min(files.size(), sc.defaultParallelism()));
            return sc.parallelize(files, slices)
                    .mapPartitions(part -> evaluatePartition(part, conf.value(), params.value(), task, outputs, hadoop))
                    .fold(new EvalOutcome(emptyEvaluation(task, outputs)), EvalOutcome::merge);
        } finally {
            conf.destroy();
            params.destroy();
        }
    }

    private static Iterator<EvalOutcome> evaluatePartition(Iterator<String> files, String confJson, INDArray params,
                                                           Task task, int outputs, HadoopConf hadoop) {
        MultiLayerNetwork network = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(confJson));
        network.init(params, true);
        EvalOutcome outcome = new EvalOutcome(emptyEvaluation(task, outputs));
        List<EvalOutcome> out = new ArrayList<>(1);
        while (files.hasNext()) {
            addBatch(outcome, network, MinibatchFiles.load(files.next(), hadoop), task);
        }
        out.add(outcome);
        return out.iterator();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void addBatch(EvalOutcome outcome, MultiLayerNetwork network, DataSet batch, Task task) {
        INDArray output = network.output(batch.getFeatures(), false, batch.getFeaturesMaskArray(),
                batch.getLabelsMaskArray());
        if (task.perStep()) {
            // masked steps are neither counted nor scored; the loss is per predicted step, not per sequence
            ((IEvaluation) outcome.evaluation()).eval(batch.getLabels(), output, batch.getLabelsMaskArray());
            outcome.addSteps(StepCrossEntropy.of(output, batch.getLabels(), batch.getLabelsMaskArray()),
                    batch.numExamples());
            return;
        }
        ((IEvaluation) outcome.evaluation()).eval(batch.getLabels(), output);
        outcome.add(network.score(batch, false), batch.numExamples());
    }

    private static IEvaluation<?> emptyEvaluation(Task task, int outputs) {
        return task.isClassification() ? new Evaluation(outputs) : new RegressionEvaluation(outputs);
    }
}
