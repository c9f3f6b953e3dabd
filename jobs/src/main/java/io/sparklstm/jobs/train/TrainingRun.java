package io.sparklstm.jobs.train;

import io.sparklstm.jobs.config.JobConfig;
import io.sparklstm.jobs.config.TrainingConfig;
import io.sparklstm.jobs.evaluate.DistributedEvaluator;
import io.sparklstm.jobs.evaluate.Metrics;
import io.sparklstm.jobs.evaluate.MinibatchFiles;
import io.sparklstm.jobs.evaluate.SplitMetrics;
import io.sparklstm.jobs.report.ForecastSample;
import io.sparklstm.jobs.report.RunReport;
import io.sparklstm.jobs.spark.TaskCounter;
import io.sparklstm.model.Ensemble;
import io.sparklstm.model.ModelKeys;
import io.sparklstm.model.Task;
import io.sparklstm.model.bundle.BundleInfo;
import io.sparklstm.model.bundle.ModelBundle;
import io.sparklstm.model.data.DatasetManifest;
import io.sparklstm.model.data.Preparation;
import io.sparklstm.prep.io.HadoopConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.stats.StatsUtils;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One training run: a network, the dataset it fits, the run directory it writes (metrics, checkpoints, summary,
 * report, model bundle) and where it stands ({@link TrainingState}, the best epoch's parameters). It starts
 * fresh or from a checkpoint; {@link #train} takes it from there to the end. It knows nothing of options or of
 * how its directory was claimed ({@link TrainJob} does that for the command line), so another entry point can
 * drive it the same way.
 */
public final class TrainingRun {

    // the command line's log lines have always been TrainJob's; scripts and readers look for them by that name
    private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);

    /** The parameters and updater state (none for plain SGD) of the best epoch so far: copies, kept aside. */
    record BestParameters(INDArray params, Optional<INDArray> updaterState) {

        static BestParameters of(MultiLayerNetwork network) {
            INDArray updater = network.getUpdater().getStateViewArray(); // null for plain SGD
            return new BestParameters(network.params().dup(), Optional.ofNullable(updater).map(INDArray::dup));
        }

        void restoreInto(MultiLayerNetwork network) {
            network.setParams(params);
            updaterState.ifPresent(state -> network.getUpdater().getStateViewArray().assign(state));
        }
    }

    private final JavaSparkContext sc;
    private final JobConfig config;
    private final TrainingData data;
    private final RunDirectory run;
    private final Checkpoints checkpoints;
    private final MultiLayerNetwork network;
    private final TrainingState state;
    private Optional<BestParameters> best;
    /** The parameters of the last training.averageLastEpochs epochs, when that is above 1. */
    private final EpochAverage average;
    /** Their mean when the best epoch was recorded, and over how many epochs. */
    private Optional<Averaged> bestAverage = Optional.empty();

    /** A mean of the parameters of some epochs. */
    private record Averaged(INDArray params, int epochs) {
    }

    /** The other members of the ensemble this run's network is member 0 of (none for one network). */
    private final List<TrainedMember> others;

    /**
     * A network of an ensemble trained by a run of its own, with its metrics there.
     *
     * @param member        its place in the ensemble, from 1 (this run's network is member 0)
     * @param selectedEpoch the epoch whose parameters it has
     */
    record TrainedMember(int member, long seed, MultiLayerNetwork network, Map<String, Metrics> metrics,
                         int selectedEpoch) {
    }

    /**
     * A run that writes to {@code run} and goes on from {@code state} (no epoch done for a new run), with
     * {@code network} as that state left it and {@code best} the best epoch's parameters so far.
     */
    TrainingRun(JavaSparkContext sc, JobConfig config, TrainingData data, RunDirectory run, MultiLayerNetwork network,
                TrainingState state, Optional<BestParameters> best) {
        this(sc, config, data, run, network, state, best, List.of());
    }

    /**
     * As the run of one network, for member 0 of an ensemble ({@code config}'s {@code model.ensembleMembers}) whose
     * {@code others} have been trained: the run trains its own network as member 0's configuration says, then
     * scores and writes the ensemble as the run's model.
     */
    TrainingRun(JavaSparkContext sc, JobConfig config, TrainingData data, RunDirectory run, MultiLayerNetwork network,
                TrainingState state, Optional<BestParameters> best, List<TrainedMember> others) {
        if (others.size() != config.model().ensembleMembers() - 1) {
            throw new IllegalArgumentException("an ensemble of " + config.model().ensembleMembers() + " networks has "
                    + others.size() + " trained beside member 0");
        }
        this.others = List.copyOf(others);
        this.sc = sc;
        this.config = config;
        this.data = data;
        this.run = run;
        this.checkpoints = new Checkpoints(run, sc.hadoopConfiguration());
        this.network = network;
        this.state = state;
        this.best = best;
        this.average = new EpochAverage(config.training().averageLastEpochs());
    }

    /** The epochs left, then the chosen parameters scored on every split and the run directory completed. */
    public TrainJob.Result train() {
        TaskCounter tasks = TaskCounter.attach(sc);
        try {
            logStart();
            LossHook hook = new LossHook(sc);
            SparkDl4jMultiLayer sparkNet = distributedNetwork(hook);
            long started = System.nanoTime();
            int firstEpoch = state.epochsDone();
            boolean stoppedEarly = fitEpochs(sparkNet, hook, tasks, started);
            int averaged = chooseParameters();
            double[] shrinkage = shrinkTowardNaive();
            Map<String, Metrics> summary = evaluateSplits();
            TrainingSummary training = trainingSummary(sparkNet, tasks, stoppedEarly, firstEpoch, started,
                    shrinkage, averaged);
            if (!others.isEmpty()) training = training.withMembers(members(summary));
            ModelBundle bundle = writeResults(sparkNet, summary, training);
            LOG.info("train: run written to {}", run.path());
            return new TrainJob.Result(run.path(), summary, bundle);
        } finally {
            tasks.detach(sc);
        }
    }

    private TrainingConfig tc() {
        return config.training();
    }

    private DatasetManifest manifest() {
        return data.manifest();
    }

    private Preparation prep() {
        return manifest().preparation();
    }

    /** The dataset's files of a split, as the workers open them. */
    private List<String> files(String split) {
        return TrainJob.absolute(TrainJob.dataLocation(run.path(), state.dataDir()), manifest().split(split).files());
    }

    static int workers(TrainingConfig tc, JavaSparkContext sc) {
        return tc.workers() > 0 ? tc.workers() : sc.defaultParallelism();
    }

    private void logStart() {
        LOG.info("train: {} parameters, {} workers, {} training examples in {} files", network.numParams(),
                workers(tc(), sc), manifest().split("train").examples(), manifest().split("train").batches());
    }

    private SparkDl4jMultiLayer distributedNetwork(LossHook hook) {
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, network, TrainJob.trainingMaster(tc(),
                manifest().minibatchSize(), workers(tc(), sc), config.model().seed(), hook));
        sparkNet.setCollectTrainingStats(tc().dl4jStatistics());
        return sparkNet;
    }

    /** The epochs from the state's on; whether they stopped early. */
    private boolean fitEpochs(SparkDl4jMultiLayer sparkNet, LossHook hook, TaskCounter tasks, long started) {
        int firstEpoch = state.epochsDone();
        TrainingTimes times = new TrainingTimes();
        // one for the run: each epoch's first round is sized from the rounds before it
        Optional<AveragingPeriod> period = tc().timedAveraging() ? Optional.of(new AveragingPeriod(
                tc().averagingSeconds(), tc().averagingFrequency(), data.rounds().workers(), data.rounds().batch()))
                : Optional.empty();
        ProgressDisplay progress = ProgressDisplay.forMode(tc().progress(), firstEpoch, tc().epochs());
        for (int epoch = firstEpoch; epoch < tc().epochs(); epoch++) {
            double lr = config.model().learningRateAt(epoch);
            network.setLearningRate(lr);
            hook.reset();
            long t0 = System.nanoTime();
            List<AveragingRounds.MinibatchFile> order = TrainJob.shuffled(data.trainFiles(),
                    config.model().seed() + epoch);
            Optional<List<EpochRecord.AveragingRound>> timedRounds = Optional.empty();
            if (period.isPresent()) {
                progress.epochStarted(epoch, period.get().roundsEstimate(manifest().split("train").examples()));
                timedRounds = Optional.of(TrainJob.fitTimedEpoch(sc, sparkNet, data.rounds(), order, period.get(),
                        hook, round -> progress.roundDone(round, hook.examples())));
            } else {
                List<AveragingRounds.Round> rounds = data.rounds().plan(order);
                progress.epochStarted(epoch, rounds.size());
                TrainJob.fitEpoch(sc, sparkNet, rounds, round -> progress.roundDone(round, hook.examples()));
            }
            double fitSeconds = (System.nanoTime() - t0) / 1e9;
            double trainLoss = hook.meanLoss();
            EpochRecord fitted = EpochRecord.fitted(epoch + 1, round(trainLoss), hook.examples(),
                    round(hook.examples() / fitSeconds), round(fitSeconds), lr, tc().dl4jStatistics()
                            ? Optional.of(times.sinceLastCall(sparkNet.getSparkTrainingStats())) : Optional.empty());
            if (timedRounds.isPresent()) fitted = fitted.withAveragingRounds(timedRounds.get());
            failUnlessComplete(fitted, trainLoss, tasks, progress);
            EpochRecord record = completeEpoch(fitted, trainLoss, t0, tasks);
            progress.clear();
            logEpoch(record, started, firstEpoch);
            if (stopsEarly(epoch)) return true;
        }
        return false;
    }

    /**
     * Ends the run when the epoch diverged (exit 4) or fitted fewer examples than the training split holds, with
     * the epoch's record as the last line of {@code metrics.jsonl}.
     */
    private void failUnlessComplete(EpochRecord fitted, double trainLoss, TaskCounter tasks,
                                    ProgressDisplay progress) {
        if (!Double.isFinite(trainLoss) || !Double.isFinite(network.params().sumNumber().doubleValue())) {
            progress.clear();
            run.appendMetrics(fitted.withSparkTasks(tasks.sinceLastCall()));
            throw new TrainingDivergedException("training diverged in epoch " + fitted.epoch() + ": loss "
                    + trainLoss + "; lower model.learningRate or set model.clipping. "
                    + (state.epochsDone() > 0 ? "The last good checkpoint (epoch " + state.epochsDone()
                    + ") is under " + run.resolve(RunDirectory.CHECKPOINTS) : "No epoch completed."));
        }
        long expected = manifest().split("train").examples();
        if (fitted.trainExamples() != expected) {
            progress.clear();
            run.appendMetrics(fitted.withSparkTasks(tasks.sinceLastCall()));
            throw IncompleteEpochException.of(fitted.epoch(), fitted.trainExamples(), expected,
                    data.rounds().settings() + ", minibatch files of " + manifest().minibatchSize());
        }
    }

    /**
     * Validates the epoch, records it (best or not), and checkpoints it; the record as written. Without a
     * validation split, the training loss picks the best epoch.
     */
    private EpochRecord completeEpoch(EpochRecord fitted, double trainLoss, long t0, TaskCounter tasks) {
        List<String> validationFiles = files("validation");
        Optional<Metrics> validation = validationFiles.isEmpty() ? Optional.empty()
                : Optional.of(Metrics.of(DistributedEvaluator.evaluate(sc, network, validationFiles, prep().task(),
                prep().outputSize(), evalFilesPerBatch()), prep()));
        double value = validation.map(v -> v.value(state.metric()).orElseThrow(() -> new IllegalStateException(
                "the validation metrics have no \"" + state.metric() + "\""))).orElse(trainLoss);
        // the epoch's record keeps the metrics as JSON: a checkpoint reads them back as such
        EpochRecord completed = fitted.completed(validation.map(Metrics::asJsonObject).orElse(Map.of()),
                round((System.nanoTime() - t0) / 1e9),
                tasks.sinceLastCall());
        boolean improved = state.addEpoch(completed, value, tc().minDelta());
        EpochRecord record = state.records().get(state.epochsDone() - 1);
        run.appendMetrics(record);
        if (tc().averageLastEpochs() > 1) average.add(network.params());
        if (improved) {
            best = Optional.of(BestParameters.of(network));
            if (tc().averageLastEpochs() > 1) bestAverage = Optional.of(new Averaged(average.mean(), average.count()));
        }
        // a checkpoint holds this run's one network: member 0's spec when the model is an ensemble
        checkpoints.writeEpoch(network, config.model().member(0), prep(), state, improved);
        return record;
    }

    private int evalFilesPerBatch() {
        return DistributedEvaluator.filesPerBatch(tc().evalBatchSize(), manifest().minibatchSize());
    }

    /** Whether training.earlyStopping.patience epochs have gone by without improving, before the last epoch. */
    private boolean stopsEarly(int epoch) {
        if (tc().patience() > 0 && state.epochsSinceBest() >= tc().patience() && epoch + 1 < tc().epochs()) {
            LOG.info("train: stopping early after epoch {}: validation {} has not improved by more than {} "
                            + "for {} epochs (best {} in epoch {})", epoch + 1, state.metric(), tc().minDelta(),
                    tc().patience(), state.bestValue(), state.bestEpoch());
            return true;
        }
        return false;
    }

    /**
     * With training.keepBest, the best epoch's parameters in place of the last epoch's; with
     * training.averageLastEpochs, the mean of the parameters of the epochs up to the chosen one in place of its
     * own. The number of epochs averaged (1: none).
     */
    private int chooseParameters() {
        boolean keepsBest = tc().keepBest() && best.isPresent() && state.bestEpoch() != state.epochsDone();
        if (keepsBest) {
            LOG.info("train: keeping the parameters of epoch {} (best validation {} = {})", state.bestEpoch(),
                    state.metric(), state.bestValue());
            best.get().restoreInto(network);
        }
        if (tc().averageLastEpochs() <= 1) return 1;
        Optional<Averaged> mean = keepsBest ? bestAverage
                : average.count() > 0 ? Optional.of(new Averaged(average.mean(), average.count())) : Optional.empty();
        if (mean.isEmpty() || mean.get().epochs() < 2) {
            LOG.info("train: no epochs to average (training.averageLastEpochs = {}): the chosen epoch was trained "
                    + "before this run resumed, or alone", tc().averageLastEpochs());
            return 1;
        }
        int last = keepsBest ? state.bestEpoch() : state.epochsDone();
        LOG.info("train: parameters averaged over epochs {} to {} (training.averageLastEpochs = {})",
                last - mean.get().epochs() + 1, last, tc().averageLastEpochs());
        network.setParams(mean.get().params());
        return mean.get().epochs();
    }

    /**
     * For a forecaster with training.shrinkToNaive and a validation split: each target's output scaled toward the
     * naive forecast its targets are measured from ({@link Shrinkage}); the factors, or none.
     */
    private double[] shrinkTowardNaive() {
        List<String> validationFiles = files("validation");
        if (!tc().shrinkToNaive() || prep().task() != Task.FORECAST || validationFiles.isEmpty()) {
            return new double[0];
        }
        double[] factors = Shrinkage.fit(sc, network, validationFiles, prep().targetNames().size());
        Shrinkage.apply(network, factors);
        LOG.info("train: output scaled toward the naive forecast per target by {} (least squares on the validation "
                + "split, within [0, 1])", Arrays.toString(Arrays.stream(factors).map(TrainingRun::round).toArray()));
        return factors;
    }

    /** The final metrics of each split (of the model: the ensemble's when it is one), scored on the executors. */
    private Map<String, Metrics> evaluateSplits() {
        Map<String, List<String>> splitFiles = new LinkedHashMap<>();
        for (String split : List.of("train", "validation", "test")) splitFiles.put(split, files(split));
        return SplitMetrics.of(sc, model(), prep(), splitFiles, splitFiles.get("train"), evalFilesPerBatch());
    }

    /** The networks the run's model is: this run's, then the other members'. */
    private Ensemble model() {
        List<MultiLayerNetwork> members = new ArrayList<>(1 + others.size());
        members.add(network);
        others.forEach(m -> members.add(m.network()));
        return new Ensemble(members);
    }

    /**
     * Each member scored alone on the validation and test splits (member 0 here, the others in their own runs),
     * logged beside the ensemble's figures.
     */
    private List<EnsembleMember> members(Map<String, Metrics> ensemble) {
        Map<String, List<String>> splitFiles = new LinkedHashMap<>();
        for (String split : List.of("validation", "test")) splitFiles.put(split, files(split));
        Map<String, Metrics> own = SplitMetrics.of(sc, network, prep(), splitFiles, files("train"), evalFilesPerBatch());
        List<EnsembleMember> out = new ArrayList<>();
        out.add(EnsembleMember.of(0, config.model().seed(), tc().keepBest() ? state.bestEpoch() : state.epochsDone(),
                own, prep().task()));
        for (TrainedMember m : others) {
            out.add(EnsembleMember.of(m.member(), m.seed(), m.selectedEpoch(), m.metrics(), prep().task()));
        }
        LOG.info("train: the model is an ensemble of {} networks ({} = {}):{}; each alone: {}",
                out.size(), ModelKeys.ENSEMBLE_MEMBERS.key(), out.size(),
                splits(EnsembleMember.headline(ensemble.get("validation"), prep().task()),
                        EnsembleMember.headline(ensemble.get("test"), prep().task())),
                out.stream().map(m -> "member " + m.member() + splits(m.validation(), m.test())).toList());
        return out;
    }

    /** " validation {...} test {...}", each split only when it has figures (a config may have no validation). */
    private static String splits(Map<String, Double> validation, Map<String, Double> test) {
        return (validation.isEmpty() ? "" : " validation " + validation) + (test.isEmpty() ? "" : " test " + test);
    }

    /** The {@code training} part of the summary and of the bundle: how the run went. */
    private TrainingSummary trainingSummary(SparkDl4jMultiLayer sparkNet, TaskCounter tasks, boolean stoppedEarly,
                                            int resumedAfter, long started, double[] shrinkage, int averaged) {
        Optional<Map<String, Double>> factors = Optional.empty();
        if (shrinkage.length > 0) {
            Map<String, Double> byTarget = new LinkedHashMap<>();
            for (int j = 0; j < shrinkage.length; j++) byTarget.put(prep().targetNames().get(j), round(shrinkage[j]));
            factors = Optional.of(byTarget);
        }
        return new TrainingSummary(averaged, tc().averagingFrequency(), state.bestEpoch(), state.dataDir(), state.epochsDone(),
                sc.master(), resumedAfter, round((System.nanoTime() - started) / 1e9),
                tc().keepBest() ? state.bestEpoch() : state.epochsDone(), state.metric(), factors, tasks.snapshot(),
                stoppedEarly, tc().dl4jStatistics()
                        ? Optional.of(TrainingTimes.cumulative(sparkNet.getSparkTrainingStats())) : Optional.empty(),
                workers(tc(), sc));
    }

    /** The model bundle, summary.json, dl4j-spark's statistics page when collected, and report.html. */
    private ModelBundle writeResults(SparkDl4jMultiLayer sparkNet, Map<String, Metrics> summary,
                                     TrainingSummary training) {
        Ensemble model = model();
        ModelBundle bundle = new ModelBundle(model, new BundleInfo(BundleInfo.formatFor(model.size()), config.model(),
                prep(), asJsonObjects(summary), training.asJsonObject(), TrainJob.provenance(sc)));
        run.writeBundle(RunDirectory.MODEL, bundle);
        Map<String, Object> summaryFile = new LinkedHashMap<>(summary);
        summaryFile.put("training", training);
        run.writeJson(RunDirectory.SUMMARY, summaryFile);
        if (tc().dl4jStatistics()) {
            writeTrainingStats(sparkNet.getSparkTrainingStats());
        }
        run.writeText(RunDirectory.REPORT, RunReport.html(prep(), EpochRecord.asJsonObjects(state.records()), asJsonObjects(summary),
                training.asJsonObject(), forecastSamples()));
        return bundle;
    }

    /**
     * The metrics of each split as the JSON objects a bundle's info holds (the model module reads bundles back and
     * knows no {@link Metrics}) and the report reads.
     */
    private static Map<String, Map<String, Object>> asJsonObjects(Map<String, Metrics> summary) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        summary.forEach((split, m) -> out.put(split, m.asJsonObject()));
        return out;
    }

    /** A few test windows to draw, from the first test file, scored on the driver. */
    private List<ForecastSample> forecastSamples() {
        List<String> testFiles = files("test");
        if (prep().task().isClassification() || testFiles.isEmpty()) {
            return List.of();
        }
        return ForecastSample.from(model(), prep(),
                MinibatchFiles.load(testFiles.get(0), new HadoopConf(sc.hadoopConfiguration())), 4);
    }

    /**
     * dl4j-spark's timing page, rendered in memory and written like every other run file. (Its own path-taking
     * export writes through the default filesystem and fails for a run directory on another one, e.g. HDFS.)
     */
    private void writeTrainingStats(SparkTrainingStats stats) {
        if (stats == null) return;
        try {
            ByteArrayOutputStream page = new ByteArrayOutputStream();
            StatsUtils.exportStatsAsHTML(stats, page);
            run.writeBytes(RunDirectory.TRAINING_STATS, page.toByteArray());
        } catch (Exception e) {
            LOG.warn("train: could not write dl4j-spark's training statistics page: {}", e.toString());
        }
    }

    private void logEpoch(EpochRecord record, long started, int firstEpoch) {
        int epoch = record.epoch();
        int epochs = tc().epochs();
        double elapsed = (System.nanoTime() - started) / 1e9;
        double left = elapsed / (epoch - firstEpoch) * (epochs - epoch);
        Object validation = record.validation().map(v -> v.get(state.metric())).orElse(null);
        String validationPart = validation == null ? "" : ", validation " + state.metric() + " " + validation;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "epoch %d/%d: train loss %.5f%s, %.0f samples/s, %.1f s; about %s left",
                epoch, epochs, record.trainLoss(), validationPart, record.samplesPerSecond(),
                record.epochSeconds().orElseThrow(), ProgressDisplay.duration(left)));
        record.timing().ifPresent(t -> line.append(String.format(Locale.ROOT, " [workers: fit %.1f s, loading %.1f "
                        + "s, setup %.1f s; driver: Spark jobs %.1f s, averaging %.1f s, broadcast %.1f s]",
                t.get("workerFitSeconds"), t.get("dataLoadingSeconds"), t.get("workerInitSeconds"),
                t.get("sparkJobSeconds"), t.get("averagingSeconds"), t.get("broadcastSeconds"))));
        record.averagingRounds().ifPresent(rounds -> line.append(String.format(Locale.ROOT,
                " [%d averaging rounds of %s minibatches per worker]", rounds.size(), rounds.stream()
                        .map(r -> Integer.toString(r.minibatchesPerWorker())).collect(Collectors.joining(",")))));
        record.sparkTasks().filter(t -> t.get("failedTasks") > 0 || t.get("executorsRemoved") > 0)
                .ifPresent(t -> line.append(String.format(Locale.ROOT, " [%s failed and %s retried Spark tasks, %s "
                        + "executors lost]", t.get("failedTasks"), t.get("retriedTasks"), t.get("executorsRemoved"))));
        LOG.info(line.toString());
    }

    static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1e6) / 1e6 : v;
    }
}
