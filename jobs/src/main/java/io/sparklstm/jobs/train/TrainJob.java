package io.sparklstm.jobs.train;

import io.sparklstm.jobs.BuildInfo;
import io.sparklstm.jobs.config.JobConfig;
import io.sparklstm.jobs.config.TrainingConfig;
import io.sparklstm.jobs.evaluate.DistributedEvaluator;
import io.sparklstm.jobs.evaluate.EvalOutcome;
import io.sparklstm.jobs.evaluate.Metrics;
import io.sparklstm.jobs.report.RunReport;
import io.sparklstm.model.ModelSpec;
import io.sparklstm.model.NetworkFactory;
import io.sparklstm.model.bundle.BundleInfo;
import io.sparklstm.model.bundle.ModelBundle;
import io.sparklstm.model.bundle.Provenance;
import io.sparklstm.model.data.DatasetManifest;
import io.sparklstm.model.data.Preparation;
import io.sparklstm.prep.InputDataException;
import io.sparklstm.prep.PrepareJob;
import io.sparklstm.prep.PreparedOutput;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.stats.StatsUtils;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code train}: fits the configured LSTM on a prepared dataset with dl4j-spark's parameter averaging, one
 * {@code fitPaths} call per epoch over the training minibatch files, evaluates the validation split after
 * each epoch on the executors, and writes the run directory.
 */
public final class TrainJob {

    private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);

    private TrainJob() {
    }

    /** What a training run produced. */
    public record Result(String runDir, Map<String, Map<String, Object>> summary, ModelBundle bundle) {
    }

    public static Result run(JavaSparkContext sc, JobConfig config, String dataDir, String runDirPath,
                             boolean overwrite) {
        DatasetManifest manifest = PrepareJob.readManifest(dataDir, sc.hadoopConfiguration());
        Preparation prep = manifest.preparation();
        if (manifest.split("train").batches() == 0) {
            throw new InputDataException(dataDir + ": the training split has no minibatch files");
        }
        List<String> trainFiles = absolute(dataDir, manifest.split("train").files());
        List<String> validationFiles = absolute(dataDir, manifest.split("validation").files());
        MinibatchCheck.check(sc, manifest, trainFiles);
        MinibatchCheck.check(sc, manifest, validationFiles);
        PreparedOutput.claim(runDirPath, overwrite, sc.hadoopConfiguration());
        RunDirectory run = new RunDirectory(runDirPath, sc.hadoopConfiguration());
        run.writeText(RunDirectory.CONFIG, config.render());

        ModelSpec spec = config.model();
        TrainingConfig tc = config.training();
        MultiLayerNetwork network = NetworkFactory.network(spec, prep.task(), prep.featureNames().size(),
                prep.outputSize());
        int workers = tc.workers() > 0 ? tc.workers() : sc.defaultParallelism();
        LOG.info("train: {} parameters, {} workers, {} training examples in {} files", network.numParams(), workers,
                manifest.split("train").examples(), manifest.split("train").batches());

        LossHook hook = new LossHook(sc);
        ParameterAveragingTrainingMaster master = trainingMaster(tc, manifest.minibatchSize(), workers, spec.seed(), hook);
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, network, master);
        sparkNet.setCollectTrainingStats(tc.collectTrainingStats());

        JavaRDD<String> trainPaths = sc.parallelize(trainFiles, Math.max(1, Math.min(trainFiles.size(), workers)));
        String metric = Metrics.selectionMetric(prep);

        List<Map<String, Object>> epochs = new ArrayList<>();
        BestEpoch best = new BestEpoch(metric);
        long started = System.nanoTime();
        for (int epoch = 0; epoch < tc.epochs(); epoch++) {
            double lr = spec.learningRateAt(epoch);
            network.setLearningRate(lr);
            hook.reset();
            long t0 = System.nanoTime();
            sparkNet.fitPaths(trainPaths, new MinibatchLoader());
            double fitSeconds = (System.nanoTime() - t0) / 1e9;
            double trainLoss = hook.meanLoss();

            Map<String, Object> record = new LinkedHashMap<>();
            record.put("epoch", epoch + 1);
            record.put("trainLoss", round(trainLoss));
            record.put("trainExamples", hook.examples());
            record.put("samplesPerSecond", round(hook.examples() / fitSeconds));
            record.put("fitSeconds", round(fitSeconds));
            record.put("learningRate", lr);
            if (!Double.isFinite(trainLoss) || !Double.isFinite(network.params().sumNumber().doubleValue())) {
                run.appendMetrics(record);
                throw new TrainingDivergedException("training diverged in epoch " + (epoch + 1) + ": loss "
                        + trainLoss + "; lower model.learningRate or set model.clipping. The last good checkpoint "
                        + "is under " + run.resolve(RunDirectory.CHECKPOINTS));
            }
            Map<String, Object> validation = validationFiles.isEmpty() ? Map.of()
                    : Metrics.of(DistributedEvaluator.evaluate(sc, network, validationFiles, prep.task(),
                    prep.outputSize()), prep);
            record.put("validation", validation);
            boolean improved = best.offer(epoch + 1, validation.isEmpty() ? -trainLoss : validation.get(metric), network);
            record.put("best", improved);
            record.put("epochSeconds", round((System.nanoTime() - t0) / 1e9));
            epochs.add(record);
            run.appendMetrics(record);
            writeCheckpoint(run, network, spec, prep, epoch + 1, epochs, config);
            logEpoch(epoch + 1, tc.epochs(), record, metric, started);
        }

        if (tc.keepBest() && best.epoch > 0 && best.epoch != tc.epochs()) {
            LOG.info("train: keeping the parameters of epoch {} (best validation {} = {})", best.epoch, metric, best.value);
            network.setParams(best.params);
            network.getUpdater().getStateViewArray().assign(best.updaterState);
        }

        Map<String, Map<String, Object>> summary = new LinkedHashMap<>();
        for (String split : List.of("train", "validation", "test")) {
            List<String> files = absolute(dataDir, manifest.split(split).files());
            EvalOutcome outcome = DistributedEvaluator.evaluate(sc, network, files, prep.task(), prep.outputSize());
            summary.put(split, Metrics.of(outcome, prep));
        }
        Map<String, Object> training = trainingRecord(tc, workers, sc, epochs.size(), best, dataDir,
                (System.nanoTime() - started) / 1e9);
        ModelBundle bundle = new ModelBundle(network, new BundleInfo(BundleInfo.FORMAT_VERSION, spec, prep,
                summary, training, provenance(sc)));
        run.writeBundle(RunDirectory.MODEL, bundle);

        Map<String, Object> summaryFile = new LinkedHashMap<>(summary);
        summaryFile.put("training", training);
        run.writeJson(RunDirectory.SUMMARY, summaryFile);
        if (tc.collectTrainingStats()) {
            writeTrainingStats(sc, sparkNet.getSparkTrainingStats(), run);
        }
        run.writeText(RunDirectory.REPORT, RunReport.html(prep, epochs, summary, training));
        LOG.info("train: run written to {}", run.path());
        return new Result(run.path(), summary, bundle);
    }

    static ParameterAveragingTrainingMaster trainingMaster(TrainingConfig tc, int fileMinibatch, int workers, long seed,
                                                          LossHook hook) {
        return new ParameterAveragingTrainingMaster.Builder(workers, fileMinibatch)
                .batchSizePerWorker(tc.batchSizePerWorker() > 0 ? tc.batchSizePerWorker() : fileMinibatch)
                .averagingFrequency(tc.averagingFrequency())
                .workerPrefetchNumBatches(tc.workerPrefetchBatches())
                .saveUpdater(tc.saveUpdater())
                .repartionData(Repartition.valueOf(repartitionName(tc.repartition())))
                .rngSeed(seed)
                .collectTrainingStats(tc.collectTrainingStats())
                .trainingHooks(hook)
                .build();
    }

    private static String repartitionName(String configured) {
        return switch (configured) {
            case "ALWAYS" -> "Always";
            case "NEVER" -> "Never";
            default -> "NumPartitionsWorkersDiffers";
        };
    }

    /** The epoch with the best validation metric, and a copy of its parameters and updater state. */
    static final class BestEpoch {
        private final String metric;
        int epoch;
        double value = Double.NaN;
        INDArray params;
        INDArray updaterState;

        BestEpoch(String metric) {
            this.metric = metric;
        }

        boolean offer(int epochNumber, Object metricValue, MultiLayerNetwork network) {
            double v = ((Number) metricValue).doubleValue();
            boolean higher = Metrics.higherIsBetter(metric);
            boolean better = epoch == 0 || (higher ? v > value : v < value);
            if (better) {
                epoch = epochNumber;
                value = v;
                params = network.params().dup();
                updaterState = network.getUpdater().getStateViewArray().dup();
            }
            return better;
        }
    }

    private static void writeCheckpoint(RunDirectory run, MultiLayerNetwork network, ModelSpec spec, Preparation prep,
                                        int epoch, List<Map<String, Object>> epochs, JobConfig config) {
        Map<String, Object> state = new TreeMap<>();
        state.put("epoch", epoch);
        state.put("epochs", epochs);
        BundleInfo info = new BundleInfo(BundleInfo.FORMAT_VERSION, spec, prep, Map.of(), state,
                Provenance.current(BuildInfo.version(), Map.of(), Map.of()));
        String name = String.format(Locale.ROOT, "%s/epoch-%04d", RunDirectory.CHECKPOINTS, epoch);
        run.writeBundle(name, new ModelBundle(network, info));
        if (epoch > 1) {
            run.delete(String.format(Locale.ROOT, "%s/epoch-%04d", RunDirectory.CHECKPOINTS, epoch - 1));
        }
    }

    private static void logEpoch(int epoch, int epochs, Map<String, Object> record, String metric, long started) {
        double elapsed = (System.nanoTime() - started) / 1e9;
        double left = elapsed / epoch * (epochs - epoch);
        Object validation = record.get("validation") instanceof Map<?, ?> v ? v.get(metric) : null;
        LOG.info(String.format(Locale.ROOT,
                "epoch %d/%d: train loss %.5f, validation %s %s, %.0f samples/s, %.1f s; about %.0f s left",
                epoch, epochs, (Double) record.get("trainLoss"), metric, validation,
                (Double) record.get("samplesPerSecond"), (Double) record.get("epochSeconds"), left));
    }

    private static Map<String, Object> trainingRecord(TrainingConfig tc, int workers, JavaSparkContext sc, int epochsRun,
                                                      BestEpoch best, String dataDir, double seconds) {
        Map<String, Object> t = new TreeMap<>();
        t.put("epochs", epochsRun);
        t.put("bestEpoch", best.epoch);
        t.put("selectedEpoch", tc.keepBest() ? best.epoch : epochsRun);
        t.put("workers", workers);
        t.put("master", sc.master());
        t.put("averagingFrequency", tc.averagingFrequency());
        t.put("data", dataDir);
        t.put("seconds", round(seconds));
        return t;
    }

    static Provenance provenance(JavaSparkContext sc) {
        Map<String, String> extra = new TreeMap<>();
        extra.put("master", sc.master());
        extra.put("defaultParallelism", Integer.toString(sc.defaultParallelism()));
        return Provenance.current(BuildInfo.version(), BuildInfo.libraries(sc.version()), extra);
    }

    private static void writeTrainingStats(JavaSparkContext sc, SparkTrainingStats stats, RunDirectory run) {
        if (stats == null) return;
        try {
            StatsUtils.exportStatsAsHtml(stats, run.resolve("training-stats.html"), sc);
        } catch (Exception e) {
            LOG.warn("train: could not write dl4j-spark's training statistics page: {}", e.toString());
        }
    }

    static List<String> absolute(String dataDir, List<String> relative) {
        List<String> out = new ArrayList<>(relative.size());
        for (String r : relative) out.add(new Path(dataDir, r).toString());
        return out;
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1e6) / 1e6 : v;
    }
}
