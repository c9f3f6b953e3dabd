package io.sparklstm.jobs.evaluate;

import io.sparklstm.model.Ensemble;
import io.sparklstm.model.StepCrossEntropy;
import io.sparklstm.model.Task;
import io.sparklstm.model.data.NaiveForecasts;
import io.sparklstm.model.data.Preparation;
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
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluates a network on minibatch files across the executors: the parameters are broadcast once, each
 * partition rebuilds the network, loads its files, and returns its evaluation counts and loss, which are
 * merged on the driver. Nothing but the counts comes back. Consecutive files are scored together, as one batch of
 * about {@code training.evalBatchSize} examples ({@link #filesPerBatch}): the network's forward pass runs 2-3x
 * more windows per second on batches of 64 than of 16. The groups are made on the driver, so what is scored
 * together does not depend on how many executors there are.
 */
public final class DistributedEvaluator {

    private DistributedEvaluator() {
    }

    /**
     * How many minibatch files of {@code minibatchSize} examples make one evaluation batch of at most
     * {@code evalBatchSize} examples: at least one.
     */
    public static int filesPerBatch(int evalBatchSize, int minibatchSize) {
        return Math.max(1, evalBatchSize / Math.max(1, minibatchSize));
    }

    /** The files in groups of {@code filesPerBatch} consecutive ones (the last may hold fewer), each scored as one batch. */
    static List<List<String>> batches(List<String> files, int filesPerBatch) {
        if (filesPerBatch < 1) throw new IllegalArgumentException("filesPerBatch must be positive: " + filesPerBatch);
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < files.size(); i += filesPerBatch) {
            // a plain ArrayList: Kryo rebuilds a list by adding to an empty one, which Java's immutable lists refuse
            out.add(new ArrayList<>(files.subList(i, Math.min(files.size(), i + filesPerBatch))));
        }
        return out;
    }

    /** The network scored on {@code files}, {@code filesPerBatch} of them at a time. */
    public static EvalOutcome evaluate(JavaSparkContext sc, MultiLayerNetwork network, List<String> files,
                                       Task task, int outputs, int filesPerBatch) {
        return evaluate(sc, Ensemble.of(network), files, task, outputs, Optional.empty(), filesPerBatch);
    }

    /** As {@link #evaluate(JavaSparkContext, MultiLayerNetwork, List, Preparation, int)}, one file at a time. */
    public static EvalOutcome evaluate(JavaSparkContext sc, MultiLayerNetwork network, List<String> files,
                                       Preparation prep) {
        return evaluate(sc, network, files, prep, 1);
    }

    /**
     * As {@link #evaluate(JavaSparkContext, MultiLayerNetwork, List, Task, int, int)}, and for a forecasting model
     * the naive forecasts of the same windows scored beside it ({@link NaiveForecasts}).
     */
    public static EvalOutcome evaluate(JavaSparkContext sc, MultiLayerNetwork network, List<String> files,
                                       Preparation prep, int filesPerBatch) {
        return evaluate(sc, Ensemble.of(network), files, prep, filesPerBatch);
    }

    /** As {@link #evaluate(JavaSparkContext, MultiLayerNetwork, List, Preparation, int)}, for the members' mean. */
    public static EvalOutcome evaluate(JavaSparkContext sc, Ensemble ensemble, List<String> files,
                                       Preparation prep, int filesPerBatch) {
        Optional<NaiveForecasts> naive = prep.task() == Task.FORECAST && prep.normalizer() != null
                ? Optional.of(NaiveForecasts.of(prep)) : Optional.empty();
        return evaluate(sc, ensemble, files, prep.task(), prep.outputSize(), naive, filesPerBatch);
    }

    private static EvalOutcome evaluate(JavaSparkContext sc, Ensemble ensemble, List<String> files,
                                        Task task, int outputs, Optional<NaiveForecasts> naive, int filesPerBatch) {
        EvalOutcome empty = empty(task, outputs, naive);
        if (files.isEmpty()) {
            return empty;
        }
        List<List<String>> batches = batches(files, filesPerBatch);
        HadoopConf hadoop = new HadoopConf(sc.hadoopConfiguration());
        // plain ArrayLists: serializable, and Kryo rebuilds them by adding (see batches)
        ArrayList<String> confs = new ArrayList<>();
        ArrayList<INDArray> memberParams = new ArrayList<>();
        for (MultiLayerNetwork m : ensemble.members()) {
            confs.add(m.getLayerWiseConfigurations().toJson());
            memberParams.add(m.params().dup());
        }
        Broadcast<ArrayList<String>> conf = sc.broadcast(confs);
        Broadcast<ArrayList<INDArray>> params = sc.broadcast(memberParams);
        try {
            int slices = Math.max(1, Math.min(batches.size(), sc.defaultParallelism()));
            List<NaiveForecasts> shipped = naive.stream().toList(); // Optional is not serializable
            return sc.parallelize(batches, slices)
                    .mapPartitions(part -> evaluatePartition(part, conf.value(), params.value(), task, outputs,
                            shipped.stream().findFirst(), hadoop))
                    .fold(empty(task, outputs, naive), EvalOutcome::merge);
        } finally {
            conf.destroy();
            params.destroy();
        }
    }

    /** The networks rebuilt from their configurations and parameters, on an executor. */
    private static Ensemble rebuild(List<String> confJson, List<INDArray> params) {
        List<MultiLayerNetwork> members = new ArrayList<>(confJson.size());
        for (int k = 0; k < confJson.size(); k++) {
            MultiLayerNetwork network = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(confJson.get(k)));
            network.init(params.get(k), true);
            members.add(network);
        }
        return new Ensemble(members);
    }

    /**
     * For each target of a forecaster, over the windows of {@code files} and every horizon step: the sum of its
     * target times its output, and of its output squared ({@code [2 j]} and {@code [2 j + 1]}), with the network's
     * outputs computed on the executors. What a least-squares scale of each target's output needs.
     */
    public static double[] outputMoments(JavaSparkContext sc, MultiLayerNetwork network, List<String> files,
                                         int targets) {
        if (files.isEmpty()) return new double[2 * targets];
        HadoopConf hadoop = new HadoopConf(sc.hadoopConfiguration());
        Broadcast<String> conf = sc.broadcast(network.getLayerWiseConfigurations().toJson());
        Broadcast<INDArray> params = sc.broadcast(network.params().dup());
        try {
            int slices = Math.max(1, Math.min(files.size(), sc.defaultParallelism()));
            return sc.parallelize(files, slices).mapPartitions(part -> {
                MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(conf.value()));
                net.init(params.value(), true);
                double[] sums = new double[2 * targets];
                while (part.hasNext()) {
                    DataSet batch = MinibatchFiles.load(part.next(), hadoop);
                    double[] out = net.output(batch.getFeatures(), false).castTo(
                            org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble();
                    double[] labels = batch.getLabels().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c')
                            .data().asDouble();
                    for (int k = 0; k < out.length; k++) {
                        int j = k % targets;
                        sums[2 * j] += labels[k] * out[k];
                        sums[2 * j + 1] += out[k] * out[k];
                    }
                }
                return List.of(sums).iterator();
            }).reduce((a, b) -> {
                double[] s = new double[a.length];
                for (int k = 0; k < s.length; k++) s[k] = a[k] + b[k];
                return s;
            });
        } finally {
            conf.destroy();
            params.destroy();
        }
    }

    private static EvalOutcome empty(Task task, int outputs, Optional<NaiveForecasts> naive) {
        Map<String, RegressionEvaluation> baselines = new LinkedHashMap<>();
        naive.ifPresent(n -> n.baselines().forEach(b -> baselines.put(b, new RegressionEvaluation(outputs))));
        return new EvalOutcome(emptyEvaluation(task, outputs), baselines);
    }

    private static Iterator<EvalOutcome> evaluatePartition(Iterator<List<String>> batches, List<String> confJson,
                                                           List<INDArray> params, Task task, int outputs,
                                                           Optional<NaiveForecasts> naive, HadoopConf hadoop) {
        Ensemble network = rebuild(confJson, params);
        EvalOutcome outcome = empty(task, outputs, naive);
        List<EvalOutcome> out = new ArrayList<>(1);
        while (batches.hasNext()) {
            DataSet batch = load(batches.next(), hadoop);
            addBatch(outcome, network, batch, task);
            naive.ifPresent(n -> addBaselines(outcome, n, batch));
        }
        out.add(outcome);
        return out.iterator();
    }

    /**
     * A group of minibatch files as one batch; sequences of other lengths are padded and masked as DataSet.merge
     * does (the files of a dataset with variable-length sequences carry masks already).
     */
    private static DataSet load(List<String> files, HadoopConf hadoop) {
        if (files.size() == 1) return MinibatchFiles.load(files.get(0), hadoop);
        List<DataSet> parts = new ArrayList<>(files.size());
        for (String file : files) parts.add(MinibatchFiles.load(file, hadoop));
        return DataSet.merge(parts);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void addBatch(EvalOutcome outcome, Ensemble network, DataSet batch, Task task) {
        INDArray output = network.output(batch.getFeatures(), batch.getFeaturesMaskArray(),
                batch.getLabelsMaskArray());
        if (task.perStep()) {
            // masked steps are neither counted nor scored; the loss is per predicted step, not per sequence
            ((IEvaluation) outcome.evaluation()).eval(batch.getLabels(), output, batch.getLabelsMaskArray());
            outcome.addSteps(StepCrossEntropy.of(output, batch.getLabels(), batch.getLabelsMaskArray()),
                    batch.numExamples());
            return;
        }
        ((IEvaluation) outcome.evaluation()).eval(batch.getLabels(), output);
        // one network's loss as DL4J scores it (weight penalty included), as before ensembles; an ensemble's from
        // its mean output
        double loss = network.size() == 1 ? network.members().get(0).score(batch, false)
                : Ensemble.meanLoss(output, batch.getLabels(), task);
        outcome.add(loss, batch.numExamples());
    }

    /** The naive forecasts of a batch's windows, scored against its labels like the network's output. */
    static void addBaselines(EvalOutcome outcome, NaiveForecasts naive, DataSet batch) {
        INDArray labels = batch.getLabels();
        int n = (int) labels.size(0);
        int outputs = (int) labels.size(1);
        int targets = naive.targetChannels().length;
        Windows windows = Windows.of(batch.getFeatures());
        for (Map.Entry<String, RegressionEvaluation> b : outcome.baselines().entrySet()) {
            double[] forecast = new double[n * outputs];
            for (int i = 0; i < n; i++) {
                NaiveForecasts.Window w = windows.window(i);
                for (int h = 0; h < naive.horizonSteps(); h++) {
                    for (int j = 0; j < targets; j++) {
                        forecast[i * outputs + h * targets + j] = naive.forecast(b.getKey(), w, h, j)
                                - naive.offset(w, h, j);
                    }
                }
            }
            b.getValue().eval(labels, Nd4j.create(forecast, new long[]{n, outputs}, 'c').castTo(labels.dataType()));
        }
    }

    /**
     * The mean absolute difference, per target, between values {@link NaiveForecasts#scaleLag} steps apart in the
     * windows of {@code files} (the training split's), inputs and targets together: the in-sample error of the
     * seasonal naive forecast (or of persistence without a season) that scales MASE. Read on the executors; no
     * network is run.
     */
    public static double[] naiveScale(JavaSparkContext sc, List<String> files, NaiveForecasts naive) {
        int targets = naive.targetChannels().length;
        if (files.isEmpty()) return new double[targets];
        HadoopConf hadoop = new HadoopConf(sc.hadoopConfiguration());
        int slices = Math.max(1, Math.min(files.size(), sc.defaultParallelism()));
        double[] sums = sc.parallelize(files, slices).map(file -> {
            DataSet batch = MinibatchFiles.load(file, hadoop);
            Windows windows = Windows.of(batch.getFeatures());
            float[] labels = batch.getLabels().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data()
                    .asFloat();
            int w = naive.windowSteps();
            int span = w + naive.horizonSteps();
            int lag = naive.scaleLag();
            int outputs = naive.horizonSteps() * targets;
            double[] s = new double[targets + 1];
            double[] series = new double[span];
            for (int i = 0; i < batch.numExamples(); i++) {
                NaiveForecasts.Window window = windows.window(i);
                for (int j = 0; j < targets; j++) {
                    int c = naive.targetChannels()[j];
                    for (int t = 0; t < w; t++) series[t] = window.at(c, t);
                    for (int h = 0; h < naive.horizonSteps(); h++) {
                        series[w + h] = labels[i * outputs + h * targets + j] + naive.offset(window, h, j);
                    }
                    for (int t = lag; t < span; t++) s[j] += Math.abs(series[t] - series[t - lag]);
                }
                s[targets] += Math.max(0, span - lag);
            }
            return s;
        }).reduce((a, b) -> {
            double[] s = new double[a.length];
            for (int k = 0; k < s.length; k++) s[k] = a[k] + b[k];
            return s;
        });
        double[] scale = new double[targets];
        for (int j = 0; j < targets; j++) scale[j] = sums[targets] == 0 ? Double.NaN : sums[j] / sums[targets];
        return scale;
    }

    /** A batch's features {@code [example, channel, step]} as plain values, read window by window. */
    private record Windows(float[] values, int channels, int steps) {
        static Windows of(INDArray features) {
            return new Windows(features.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat(),
                    (int) features.size(1), (int) features.size(2));
        }

        NaiveForecasts.Window window(int example) {
            int base = example * channels * steps;
            return (c, t) -> values[base + c * steps + t];
        }
    }

    private static IEvaluation<?> emptyEvaluation(Task task, int outputs) {
        return task.isClassification() ? new Evaluation(outputs) : new RegressionEvaluation(outputs);
    }
}
