package io.sparklstm.jobs.train;

import io.sparklstm.jobs.BuildInfo;
import io.sparklstm.jobs.config.JobConfig;
import io.sparklstm.jobs.config.TrainingConfig;
import io.sparklstm.jobs.evaluate.DistributedEvaluator;
import io.sparklstm.jobs.evaluate.EvalOutcome;
import io.sparklstm.jobs.evaluate.Metrics;
import io.sparklstm.jobs.evaluate.MinibatchFiles;
import io.sparklstm.jobs.evaluate.SplitMetrics;
import io.sparklstm.jobs.report.ForecastSample;
import io.sparklstm.jobs.report.RunReport;
import io.sparklstm.jobs.spark.TaskCounter;
import io.sparklstm.prep.io.HadoopConf;
import io.sparklstm.model.ModelSpec;
import io.sparklstm.model.NetworkFactory;
import io.sparklstm.model.bundle.BundleInfo;
import io.sparklstm.model.bundle.ModelBundle;
import io.sparklstm.model.bundle.Provenance;
import io.sparklstm.model.data.DatasetManifest;
import io.sparklstm.model.data.Preparation;
import io.sparklstm.prep.InputDataException;
import io.sparklstm.prep.PrepareJob;
import io.sparklstm.prep.output.OutputDirectory;
import io.sparklstm.prep.output.OutputKind;
import io.sparklstm.prep.output.OutputRequest;
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

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

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
        return run(sc, config, dataDir, runDirPath, overwrite, Optional.empty());
    }

    /**
     * Trains from {@code warmStart}'s parameters when given (a challenger starting from the champion), and
     * from its updater state too where valid: the same updater with the same state size. The model spec must
     * describe the same architecture as the warm start's.
     */
    public static Result run(JavaSparkContext sc, JobConfig config, String dataDir, String runDirPath,
                             boolean overwrite, Optional<ModelBundle> warmStart) {
        OutputRequest request = outputRequest(dataLocation(runDirPath, dataDir), runDirPath, overwrite);
        request.check(sc.hadoopConfiguration());
        String dataPath = dataLocation(runDirPath, dataDir);
        DatasetManifest manifest = PrepareJob.readManifest(dataPath, sc.hadoopConfiguration());
        TrainingData data = checkedData(sc, config.training(), manifest, dataPath);
        Preparation prep = manifest.preparation();
        MultiLayerNetwork network = NetworkFactory.network(config.model(), prep.task(), prep.featureNames().size(),
                prep.outputSize());
        warmStart.ifPresent(start -> warmStart(network, config.model(), start));
        TrainingState state = new TrainingState(dataDir, selectionMetric(config.training(), prep));
        OutputDirectory output = request.claim(sc.hadoopConfiguration());
        RunDirectory run = new RunDirectory(output.path(), sc.hadoopConfiguration());
        return completed(output, () -> {
            run.writeText(RunDirectory.CONFIG, config.render());
            return train(sc, config, data, run, network, state, null);
        });
    }

    /**
     * What {@code train} writes: a training run, replacing only one, and never its own dataset. A new run is
     * written in place, so that a run killed midway is resumed where it is ({@code train --resume RUN_DIR}); a
     * run that replaces another is written beside it, and the old one stays until the new one is complete.
     */
    public static OutputRequest outputRequest(String dataDir, String runDir, boolean overwrite) {
        return new OutputRequest(runDir, OutputKind.TRAINING_RUN, overwrite,
                OutputRequest.Placement.IN_PLACE_WHEN_NEW, Map.of("--data", dataDir));
    }

    /**
     * The dataset of a run: {@code dataDir} as given, or resolved against the run directory when relative, as a
     * pipeline gives it ({@code ../data}), so that the run and its dataset can move together.
     */
    static String dataLocation(String runDir, String dataDir) {
        return new Path(dataDir).isAbsolute() ? dataDir : new Path(new Path(runDir), dataDir).toString();
    }

    /** The run's result with its final location, once its directory is complete and in place. */
    private static Result completed(OutputDirectory output, Supplier<Result> training) {
        try {
            Result result = training.get();
            output.commit();
            return new Result(output.target(), result.summary(), result.bundle());
        } catch (Throwable e) { // also what Spark throws undeclared: checked exceptions, e.g. a failed job
            output.abandon();
            throw e;
        }
    }

    static void warmStart(MultiLayerNetwork network, ModelSpec spec, ModelBundle start) {
        MultiLayerNetwork from = start.network();
        if (from.numParams() != network.numParams()
                || from.getLayerWiseConfigurations().getConfs().size() != network.getLayerWiseConfigurations()
                .getConfs().size()) {
            throw new io.sparklstm.jobs.config.ConfigException("cannot warm-start from the model with "
                    + from.numParams() + " parameters: the configured model has " + network.numParams()
                    + "; model.* must describe the same architecture (cell, layers, denseLayers, bidirectional)");
        }
        network.setParams(from.params().dup());
        INDArray state = from.getUpdater().getStateViewArray();
        INDArray target = network.getUpdater().getStateViewArray();
        boolean sameUpdater = start.info().spec().updater() == spec.updater();
        if (sameUpdater && state != null && target != null && state.length() == target.length()) {
            target.assign(state);
            LOG.info("train: warm start from the given model's parameters and updater state");
        } else {
            LOG.info("train: warm start from the given model's parameters; fresh updater state ({})",
                    sameUpdater ? "none saved" : "the updater changed");
        }
    }

    /**
     * Continues a run from its newest complete checkpoint (after the driver was killed, say), with the
     * configuration it was started with, and ends with the epochs it was configured for.
     */
    public static Result resume(JavaSparkContext sc, JobConfig config, String runDirPath) {
        RunDirectory run = new RunDirectory(runDirPath, sc.hadoopConfiguration());
        Checkpoints checkpoints = new Checkpoints(run, sc.hadoopConfiguration());
        Optional<Checkpoints.Saved> latest = checkpoints.latest();
        if (latest.isEmpty()) {
            throw new InputDataException(runDirPath + " has no complete checkpoint to resume from; start the run "
                    + "again with train --overwrite");
        }
        TrainingState state = latest.get().state();
        String dataPath = dataLocation(runDirPath, state.dataDir());
        DatasetManifest manifest = PrepareJob.readManifest(dataPath, sc.hadoopConfiguration());
        TrainingData data = checkedData(sc, config.training(), manifest, dataPath);
        MultiLayerNetwork network = latest.get().bundle().network();
        Optional<Checkpoints.Saved> bestSaved = checkpoints.bestOf(latest.get());
        if (bestSaved.isEmpty() && config.training().keepBest()) {
            throw new InputDataException(runDirPath + ": the run's best epoch " + state.bestEpoch() + " has no "
                    + "checkpoint (checkpoints/best holds another epoch or none, left so by a crash of an older "
                    + "version), so training.keepBest cannot keep it; resume with --set training.keepBest=false, or "
                    + "start the run again with --overwrite");
        }
        // copies: the best epoch may be the latest, whose network trains on
        INDArray[] best = bestSaved.map(b -> b.bundle().network()).map(n -> new INDArray[]{n.params().dup(),
                n.getUpdater().getStateViewArray() == null ? null : n.getUpdater().getStateViewArray().dup()})
                .orElse(null);
        OutputDirectory output = OutputDirectory.resume(runDirPath, OutputKind.TRAINING_RUN, sc.hadoopConfiguration());
        LOG.info("train: resuming {} after epoch {} of {}", runDirPath, state.epochsDone(), config.training().epochs());
        return completed(output, () -> {
            run.restoreMetrics(state.records());
            return train(sc, config, data, run, network, state, best);
        });
    }

    /** The dataset, its training files with the examples each holds, and how the epochs hand them to the workers. */
    private record TrainingData(DatasetManifest manifest, List<AveragingRounds.MinibatchFile> trainFiles,
                                AveragingRounds rounds) {
    }

    /**
     * The averaging rounds are checked against the configuration first (exit 2 before any Spark job); then every
     * training and validation file is read once, and the training files' examples must add up to the manifest's.
     */
    private static TrainingData checkedData(JavaSparkContext sc, TrainingConfig tc, DatasetManifest manifest,
                                            String dataDir) {
        AveragingRounds rounds = AveragingRounds.of(tc, manifest.minibatchSize(), workers(tc, sc));
        if (manifest.split("train").batches() == 0) {
            throw new InputDataException(dataDir + ": the training split has no minibatch files");
        }
        List<String> trainPaths = absolute(dataDir, manifest.split("train").files());
        List<Integer> examples = MinibatchCheck.check(sc, manifest, trainPaths);
        MinibatchCheck.check(sc, manifest, absolute(dataDir, manifest.split("validation").files()));
        List<AveragingRounds.MinibatchFile> trainFiles = new ArrayList<>(trainPaths.size());
        long total = 0;
        for (int i = 0; i < trainPaths.size(); i++) {
            trainFiles.add(new AveragingRounds.MinibatchFile(trainPaths.get(i), examples.get(i)));
            total += examples.get(i);
        }
        if (total != manifest.split("train").examples()) {
            throw new InputDataException(dataDir + ": the training split's minibatch files hold " + total
                    + " examples, its " + DatasetManifest.FILE_NAME + " says " + manifest.split("train").examples()
                    + "; prepare the dataset again");
        }
        return new TrainingData(manifest, List.copyOf(trainFiles), rounds);
    }

    private static int workers(TrainingConfig tc, JavaSparkContext sc) {
        return tc.workers() > 0 ? tc.workers() : sc.defaultParallelism();
    }

    /** The epoch loop, from {@code state} on; {@code best} holds the best epoch's parameters and updater state. */
    private static Result train(JavaSparkContext sc, JobConfig config, TrainingData data, RunDirectory run,
                                MultiLayerNetwork network, TrainingState state, INDArray[] best) {
        TaskCounter tasks = TaskCounter.attach(sc);
        try {
            return train(sc, config, data, run, network, state, best, tasks);
        } finally {
            tasks.detach(sc);
        }
    }

    private static Result train(JavaSparkContext sc, JobConfig config, TrainingData data, RunDirectory run,
                                MultiLayerNetwork network, TrainingState state, INDArray[] best, TaskCounter tasks) {
        DatasetManifest manifest = data.manifest();
        Preparation prep = manifest.preparation();
        String dataDir = dataLocation(run.path(), state.dataDir());
        ModelSpec spec = config.model();
        TrainingConfig tc = config.training();
        Checkpoints checkpoints = new Checkpoints(run, sc.hadoopConfiguration());
        int workers = workers(tc, sc);
        LOG.info("train: {} parameters, {} workers, {} training examples in {} files", network.numParams(), workers,
                manifest.split("train").examples(), manifest.split("train").batches());

        LossHook hook = new LossHook(sc);
        ParameterAveragingTrainingMaster master = trainingMaster(tc, manifest.minibatchSize(), workers, spec.seed(), hook);
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, network, master);
        sparkNet.setCollectTrainingStats(tc.collectTrainingStats());
        List<String> validationFiles = absolute(dataDir, manifest.split("validation").files());
        String metric = state.metric();

        long started = System.nanoTime();
        int firstEpoch = state.epochsDone();
        boolean stoppedEarly = false;
        TrainingTimes times = new TrainingTimes();
        ProgressDisplay progress = ProgressDisplay.forMode(tc.progress(), firstEpoch, tc.epochs());
        for (int epoch = firstEpoch; epoch < tc.epochs(); epoch++) {
            double lr = spec.learningRateAt(epoch);
            network.setLearningRate(lr);
            hook.reset();
            long t0 = System.nanoTime();
            List<AveragingRounds.Round> rounds = data.rounds().plan(shuffled(data.trainFiles(), spec.seed() + epoch));
            progress.epochStarted(epoch, rounds.size());
            fitEpoch(sc, sparkNet, rounds, round -> progress.roundDone(round, hook.examples()));
            double fitSeconds = (System.nanoTime() - t0) / 1e9;
            double trainLoss = hook.meanLoss();

            EpochRecord fitted = EpochRecord.fitted(epoch + 1, round(trainLoss), hook.examples(),
                    round(hook.examples() / fitSeconds), round(fitSeconds), lr, tc.collectTrainingStats()
                            ? Optional.of(times.sinceLastCall(sparkNet.getSparkTrainingStats())) : Optional.empty());
            if (!Double.isFinite(trainLoss) || !Double.isFinite(network.params().sumNumber().doubleValue())) {
                progress.clear();
                run.appendMetrics(fitted.withSparkTasks(tasks.sinceLastCall()));
                throw new TrainingDivergedException("training diverged in epoch " + (epoch + 1) + ": loss "
                        + trainLoss + "; lower model.learningRate or set model.clipping. "
                        + (state.epochsDone() > 0 ? "The last good checkpoint (epoch " + state.epochsDone()
                        + ") is under " + run.resolve(RunDirectory.CHECKPOINTS) : "No epoch completed."));
            }
            if (hook.examples() != manifest.split("train").examples()) {
                progress.clear();
                run.appendMetrics(fitted.withSparkTasks(tasks.sinceLastCall()));
                throw IncompleteEpochException.of(epoch + 1, hook.examples(), manifest.split("train").examples(),
                        data.rounds().settings() + ", minibatch files of " + manifest.minibatchSize());
            }
            Map<String, Object> validation = validationFiles.isEmpty() ? Map.of()
                    : Metrics.of(DistributedEvaluator.evaluate(sc, network, validationFiles, prep.task(),
                    prep.outputSize(), DistributedEvaluator.filesPerBatch(tc.evalBatchSize(), manifest.minibatchSize())),
                    prep);
            double value = validation.isEmpty() ? trainLoss : ((Number) validation.get(metric)).doubleValue();
            EpochRecord completed = fitted.completed(validation, round((System.nanoTime() - t0) / 1e9),
                    tasks.sinceLastCall());
            boolean improved = state.addEpoch(completed, value, tc.minDelta());
            EpochRecord record = state.records().get(state.epochsDone() - 1);
            run.appendMetrics(record);
            if (improved) {
                INDArray updaterState = network.getUpdater().getStateViewArray(); // null for plain SGD
                best = new INDArray[]{network.params().dup(), updaterState == null ? null : updaterState.dup()};
            }
            checkpoints.writeEpoch(network, spec, prep, state, improved);
            progress.clear();
            logEpoch(epoch + 1, tc.epochs(), record, metric, started, firstEpoch);
            if (tc.patience() > 0 && state.epochsSinceBest() >= tc.patience() && epoch + 1 < tc.epochs()) {
                LOG.info("train: stopping early after epoch {}: validation {} has not improved by more than {} "
                        + "for {} epochs (best {} in epoch {})", epoch + 1, metric, tc.minDelta(), tc.patience(),
                        state.bestValue(), state.bestEpoch());
                stoppedEarly = true;
                break;
            }
        }

        if (tc.keepBest() && best != null && state.bestEpoch() != state.epochsDone()) {
            LOG.info("train: keeping the parameters of epoch {} (best validation {} = {})", state.bestEpoch(), metric,
                    state.bestValue());
            network.setParams(best[0]);
            if (best[1] != null) {
                network.getUpdater().getStateViewArray().assign(best[1]);
            }
        }

        double[] shrinkage = shrink(sc, tc, network, prep, validationFiles);

        Map<String, List<String>> splitFiles = new LinkedHashMap<>();
        for (String split : List.of("train", "validation", "test")) {
            splitFiles.put(split, absolute(dataDir, manifest.split(split).files()));
        }
        Map<String, Map<String, Object>> summary = SplitMetrics.of(sc, network, prep, splitFiles,
                splitFiles.get("train"), DistributedEvaluator.filesPerBatch(tc.evalBatchSize(), manifest.minibatchSize()));
        Map<String, Object> training = trainingRecord(tc, workers, sc, state, stoppedEarly, firstEpoch,
                (System.nanoTime() - started) / 1e9);
        if (tc.collectTrainingStats()) {
            training.put("timing", TrainingTimes.cumulative(sparkNet.getSparkTrainingStats()));
        }
        training.put("sparkTasks", tasks.snapshot());
        if (shrinkage.length > 0) {
            Map<String, Object> factors = new LinkedHashMap<>();
            for (int j = 0; j < shrinkage.length; j++) factors.put(prep.targetNames().get(j), round(shrinkage[j]));
            training.put("shrinkToNaive", factors);
        }
        ModelBundle bundle = new ModelBundle(network, new BundleInfo(BundleInfo.FORMAT_VERSION, spec, prep,
                summary, training, provenance(sc)));
        run.writeBundle(RunDirectory.MODEL, bundle);

        Map<String, Object> summaryFile = new LinkedHashMap<>(summary);
        summaryFile.put("training", training);
        run.writeJson(RunDirectory.SUMMARY, summaryFile);
        if (tc.collectTrainingStats()) {
            writeTrainingStats(sparkNet.getSparkTrainingStats(), run);
        }
        run.writeText(RunDirectory.REPORT, RunReport.html(prep, EpochRecord.asJsonObjects(state.records()), summary, training,
                forecastSamples(network, prep, absolute(dataDir, manifest.split("test").files()), sc)));
        LOG.info("train: run written to {}", run.path());
        return new Result(run.path(), summary, bundle);
    }

    /**
     * For a forecaster with training.shrinkToNaive and a validation split: each target's output scaled toward the
     * naive forecast its targets are measured from ({@link Shrinkage}); the factors, or none.
     */
    private static double[] shrink(JavaSparkContext sc, TrainingConfig tc, MultiLayerNetwork network, Preparation prep,
                                   List<String> validationFiles) {
        if (!tc.shrinkToNaive() || prep.task() != io.sparklstm.model.Task.FORECAST || validationFiles.isEmpty()) {
            return new double[0];
        }
        double[] factors = Shrinkage.fit(sc, network, validationFiles, prep.targetNames().size());
        Shrinkage.apply(network, factors);
        LOG.info("train: output scaled toward the naive forecast per target by {} (least squares on the validation "
                + "split, within [0, 1])", java.util.Arrays.toString(java.util.Arrays.stream(factors)
                .map(TrainJob::round).toArray()));
        return factors;
    }

    /** A few test windows to draw, from the first test file, scored on the driver. */
    private static List<ForecastSample> forecastSamples(MultiLayerNetwork network, Preparation prep,
                                                        List<String> testFiles, JavaSparkContext sc) {
        if (prep.task().isClassification() || testFiles.isEmpty()) {
            return List.of();
        }
        return ForecastSample.from(network, prep,
                MinibatchFiles.load(testFiles.get(0), new HadoopConf(sc.hadoopConfiguration())), 4);
    }

    /** The training files in the order of one epoch: shuffled with the epoch's seed. */
    public static List<AveragingRounds.MinibatchFile> shuffled(List<AveragingRounds.MinibatchFile> files, long seed) {
        List<AveragingRounds.MinibatchFile> order = new ArrayList<>(files);
        Collections.shuffle(order, new Random(seed));
        return order;
    }

    /**
     * One pass over the training examples, handed to dl4j-spark one averaging round at a time, each worker's
     * share of a round in a partition of its own ({@link AveragingRounds}). Given all files at once, dl4j-spark
     * splits them into rounds with the remainder spread over some rounds, and each worker then fits at most its
     * share of a round: files beyond it are silently skipped (measured: 16 of 394 synthetic-control examples,
     * 224 of 8,521 ETTh1 windows per epoch).
     */
    public static void fitEpoch(JavaSparkContext sc, SparkDl4jMultiLayer sparkNet, List<AveragingRounds.Round> rounds,
                                IntConsumer roundDone) {
        MinibatchLoader loader = new MinibatchLoader(sc);
        int done = 0;
        for (AveragingRounds.Round round : rounds) {
            // one element per partition: parallelize cuts a list of n elements into n slices of one each
            List<List<String>> shares = new ArrayList<>();
            for (List<String> share : round.workerPaths()) shares.add(new ArrayList<>(share));
            if (sparkNet.getTrainingMaster() instanceof RoundTrainingMaster master) master.nextRoundHas(round.pieces());
            JavaRDD<String> paths = sc.parallelize(shares, shares.size()).flatMap(List::iterator);
            sparkNet.fitPaths(paths, loader);
            roundDone.accept(++done);
        }
    }

    /** The validation metric that picks the best epoch: configured, or the validation loss. */
    static String selectionMetric(TrainingConfig tc, Preparation prep) {
        String metric = tc.metric().isEmpty() ? Metrics.DEFAULT_SELECTION_METRIC : tc.metric();
        boolean classificationMetric = metric.equals("accuracy") || metric.equals("f1");
        boolean forecastMetric = metric.equals("mse") || metric.equals("mae") || metric.equals("rmse");
        if ((classificationMetric && !prep.task().isClassification())
                || (forecastMetric && prep.task().isClassification())) {
            throw new io.sparklstm.jobs.config.ConfigException("training.earlyStopping.metric = \"" + metric
                    + "\" is invalid: expected a metric of the " + prep.task().name().toLowerCase() + " task");
        }
        return metric;
    }

    /**
     * dl4j-spark's master for rounds planned by {@link AveragingRounds}. It is told that a path holds one example,
     * though a piece holds one or more: dl4j-spark divides by that figure only to cap the paths of a round (at
     * workers x batchSizePerWorker x averagingFrequency, beyond which it would split the round again) and of a
     * worker (at batchSizePerWorker x averagingFrequency, beyond which it drops them), and with one example per
     * path neither cap can bind on a planned round. It never repartitions: the plan puts each worker's share of a
     * round in a partition of its own, and moving pieces between workers could overfill one.
     */
    public static RoundTrainingMaster trainingMaster(TrainingConfig tc, int fileMinibatch, int workers, long seed,
                                                    LossHook hook) {
        return new RoundTrainingMaster(new ParameterAveragingTrainingMaster.Builder(workers, 1)
                .batchSizePerWorker(tc.batchSizePerWorker() > 0 ? tc.batchSizePerWorker() : fileMinibatch)
                .averagingFrequency(tc.averagingFrequency())
                .workerPrefetchNumBatches(tc.workerPrefetchBatches())
                .saveUpdater(tc.saveUpdater())
                .repartionData(Repartition.Never)
                .rngSeed(seed)
                .collectTrainingStats(tc.collectTrainingStats())
                .trainingHooks(hook));
    }

    private static void logEpoch(int epoch, int epochs, EpochRecord record, String metric, long started,
                                 int firstEpoch) {
        double elapsed = (System.nanoTime() - started) / 1e9;
        double left = elapsed / (epoch - firstEpoch) * (epochs - epoch);
        Object validation = record.validation().map(v -> v.get(metric)).orElse(null);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "epoch %d/%d: train loss %.5f, validation %s %s, %.0f samples/s, %.1f s; about %s left",
                epoch, epochs, record.trainLoss(), metric, validation, record.samplesPerSecond(),
                record.epochSeconds().orElseThrow(), ProgressDisplay.duration(left)));
        if (record.timing().isPresent()) {
            Map<String, Object> t = record.timing().get();
            line.append(String.format(Locale.ROOT, " [workers: fit %.1f s, loading %.1f s, setup %.1f s; driver: Spark "
                            + "jobs %.1f s, averaging %.1f s, broadcast %.1f s]", t.get("workerFitSeconds"),
                    t.get("dataLoadingSeconds"), t.get("workerInitSeconds"), t.get("sparkJobSeconds"),
                    t.get("averagingSeconds"), t.get("broadcastSeconds")));
        }
        if (record.sparkTasks().isPresent()) {
            Map<String, Object> tasks = record.sparkTasks().get();
            if ((Long) tasks.get("failedTasks") > 0 || (Long) tasks.get("executorsRemoved") > 0) {
                line.append(String.format(Locale.ROOT, " [%s failed and %s retried Spark tasks, %s executors lost]",
                        tasks.get("failedTasks"), tasks.get("retriedTasks"), tasks.get("executorsRemoved")));
            }
        }
        LOG.info(line.toString());
    }

    private static Map<String, Object> trainingRecord(TrainingConfig tc, int workers, JavaSparkContext sc,
                                                      TrainingState state, boolean stoppedEarly, int resumedAfter,
                                                      double seconds) {
        Map<String, Object> t = new TreeMap<>();
        t.put("epochs", state.epochsDone());
        t.put("bestEpoch", state.bestEpoch());
        t.put("selectionMetric", state.metric());
        t.put("selectedEpoch", tc.keepBest() ? state.bestEpoch() : state.epochsDone());
        t.put("stoppedEarly", stoppedEarly);
        t.put("resumedAfterEpoch", resumedAfter);
        t.put("workers", workers);
        t.put("master", sc.master());
        t.put("averagingFrequency", tc.averagingFrequency());
        t.put("data", state.dataDir());
        t.put("seconds", round(seconds));
        return t;
    }

    static Provenance provenance(JavaSparkContext sc) {
        Map<String, String> extra = new TreeMap<>();
        extra.put("master", sc.master());
        extra.put("defaultParallelism", Integer.toString(sc.defaultParallelism()));
        return Provenance.current(BuildInfo.version(), BuildInfo.libraries(sc.version()), extra);
    }

    /**
     * dl4j-spark's timing page, rendered in memory and written like every other run file. (Its own path-taking
     * export writes through the default filesystem and fails for a run directory on another one, e.g. HDFS.)
     */
    private static void writeTrainingStats(SparkTrainingStats stats, RunDirectory run) {
        if (stats == null) return;
        try {
            ByteArrayOutputStream page = new ByteArrayOutputStream();
            StatsUtils.exportStatsAsHTML(stats, page);
            run.writeBytes(RunDirectory.TRAINING_STATS, page.toByteArray());
        } catch (Exception e) {
            LOG.warn("train: could not write dl4j-spark's training statistics page: {}", e.toString());
        }
    }

    /** The paths of a manifest's files (relative to its dataset directory) as the workers open them. */
    public static List<String> absolute(String dataDir, List<String> relative) {
        List<String> out = new ArrayList<>(relative.size());
        for (String r : relative) out.add(new Path(dataDir, r).toString());
        return out;
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1e6) / 1e6 : v;
    }
}
