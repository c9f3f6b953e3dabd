package io.sparklstm.jobs.train;

import io.sparklstm.jobs.BuildInfo;
import io.sparklstm.jobs.config.JobConfig;
import io.sparklstm.jobs.config.TrainingConfig;
import io.sparklstm.jobs.config.TrainingKeys;
import io.sparklstm.jobs.evaluate.Metrics;
import io.sparklstm.model.ModelKeys;
import io.sparklstm.model.ModelSpec;
import io.sparklstm.model.NetworkFactory;
import io.sparklstm.model.bundle.ModelBundle;
import io.sparklstm.model.bundle.Provenance;
import io.sparklstm.model.data.DatasetManifest;
import io.sparklstm.model.data.Preparation;
import io.sparklstm.model.settings.InvalidSetting;
import io.sparklstm.prep.io.InputDataException;
import io.sparklstm.prep.job.PrepareJob;
import io.sparklstm.prep.output.OutputDirectory;
import io.sparklstm.prep.output.OutputKind;
import io.sparklstm.prep.output.OutputRequest;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * {@code train}: fits the configured LSTM on a prepared dataset with dl4j-spark's parameter averaging, one
 * {@code fitPaths} call per averaging round over the training minibatch files, evaluates the validation split
 * after each epoch on the executors, and writes the run directory. This class is the command's side: it claims
 * the run directory (or takes over one to resume), reads and checks the dataset, builds or restores the
 * network, and hands them to a {@link TrainingRun}, which trains; the directory is committed when that ends.
 */
public final class TrainJob {

    private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);

    /** Where an ensemble's run keeps the runs of its members after the first: {@code members/member-k}. */
    public static final String MEMBERS = "members";

    private TrainJob() {
    }

    /** What a training run produced. */
    public record Result(String runDir, Map<String, Metrics> summary, ModelBundle bundle) {
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
        TrainingData data = TrainingData.checked(sc, config.training(), manifest, dataPath);
        Preparation prep = manifest.preparation();
        List<MultiLayerNetwork> networks = new ArrayList<>();
        for (int k = 0; k < config.model().ensembleMembers(); k++) {
            networks.add(NetworkFactory.network(config.model().member(k), prep.task(), prep.featureNames().size(),
                    prep.outputSize()));
        }
        warmStart.ifPresent(start -> warmStart(networks, config.model(), start));
        String metric = selectionMetric(config.training(), prep);
        OutputDirectory output = request.claim(sc.hadoopConfiguration());
        RunDirectory run = new RunDirectory(output.path(), sc.hadoopConfiguration());
        return completed(output, () -> {
            run.writeText(RunDirectory.CONFIG, config.render());
            List<TrainingRun.TrainedMember> others = new ArrayList<>();
            for (int k = 1; k < networks.size(); k++) {
                others.add(trainMember(sc, config.member(k), data, run, k, networks.get(k), dataPath, metric));
            }
            if (!others.isEmpty()) {
                LOG.info("train: ensemble member 0 of {} (model.seed = {}) in {}", networks.size(),
                        config.model().seed(), run.path());
            }
            return new TrainingRun(sc, config, data, run, networks.get(0), new TrainingState(dataDir, metric),
                    Optional.empty(), others).train();
        });
    }

    /**
     * Member {@code k} (from 1) of an ensemble, trained by a run of its own under {@code members/member-k} of the
     * ensemble's run (metrics, checkpoints, summary, report and its one network's bundle, as any run), reading the
     * dataset by its absolute path.
     */
    private static TrainingRun.TrainedMember trainMember(JavaSparkContext sc, JobConfig memberConfig, TrainingData data,
                                                         RunDirectory ensembleRun, int k, MultiLayerNetwork network,
                                                         String dataPath, String metric) {
        RunDirectory run = new RunDirectory(ensembleRun.resolve(MEMBERS + "/member-" + k), sc.hadoopConfiguration());
        LOG.info("train: ensemble member {} (model.seed = {}) in {}", k, memberConfig.model().seed(), run.path());
        run.writeText(RunDirectory.CONFIG, memberConfig.render());
        Result trained = new TrainingRun(sc, memberConfig, data, run, network, new TrainingState(dataPath, metric),
                Optional.empty()).train();
        Object selected = trained.bundle().info().training().get("selectedEpoch");
        return new TrainingRun.TrainedMember(k, memberConfig.model().seed(), trained.bundle().network(),
                trained.summary(), selected instanceof Number n ? n.intValue() : 0);
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

    /**
     * Each network of the model from the same member of {@code start}: the two must have as many members
     * ({@code model.ensembleMembers}).
     */
    static void warmStart(List<MultiLayerNetwork> networks, ModelSpec spec, ModelBundle start) {
        int members = start.ensemble().size();
        if (members != networks.size()) {
            throw new io.sparklstm.jobs.config.ConfigException(InvalidSetting.message(
                    ModelKeys.ENSEMBLE_MEMBERS.key(), networks.size(), members + ", the number of networks of the "
                            + "model to warm-start from (each member starts from the same member of it)"));
        }
        for (int k = 0; k < members; k++) {
            warmStart(networks.get(k), spec, start.ensemble().members().get(k), start.info().spec().updater());
        }
    }

    static void warmStart(MultiLayerNetwork network, ModelSpec spec, ModelBundle start) {
        warmStart(List.of(network), spec, start);
    }

    private static void warmStart(MultiLayerNetwork network, ModelSpec spec, MultiLayerNetwork from,
                                  ModelSpec.Updater fromUpdater) {
        if (from.numParams() != network.numParams()
                || from.getLayerWiseConfigurations().getConfs().size() != network.getLayerWiseConfigurations()
                .getConfs().size()) {
            throw new io.sparklstm.jobs.config.ConfigException("cannot warm-start from the model with "
                    + from.numParams() + " parameters: the configured model has " + network.numParams()
                    + "; model.* must describe the same architecture (cell, layers, denseLayers, bidirectional, convLayers, convKernel)");
        }
        network.setParams(from.params().dup());
        INDArray state = from.getUpdater().getStateViewArray();
        INDArray target = network.getUpdater().getStateViewArray();
        boolean sameUpdater = fromUpdater == spec.updater();
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
        requireResumable(config, runDirPath);
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
        TrainingData data = TrainingData.checked(sc, config.training(), manifest, dataPath);
        MultiLayerNetwork network = latest.get().bundle().network();
        Optional<Checkpoints.Saved> bestSaved = checkpoints.bestOf(latest.get());
        if (bestSaved.isEmpty() && config.training().keepBest()) {
            throw new InputDataException(runDirPath + ": the run's best epoch " + state.bestEpoch() + " has no "
                    + "checkpoint (checkpoints/best holds another epoch or none, left so by a crash of an older "
                    + "version), so training.keepBest cannot keep it; resume with --set training.keepBest=false, or "
                    + "start the run again with --overwrite");
        }
        // copies: the best epoch may be the latest, whose network trains on
        Optional<TrainingRun.BestParameters> best = bestSaved.map(b -> TrainingRun.BestParameters.of(b.bundle()
                .network()));
        OutputDirectory output = OutputDirectory.resume(runDirPath, OutputKind.TRAINING_RUN, sc.hadoopConfiguration());
        LOG.info("train: resuming {} after epoch {} of {}", runDirPath, state.epochsDone(), config.training().epochs());
        return completed(output, () -> {
            run.restoreMetrics(state.records());
            return new TrainingRun(sc, config, data, run, network, state, best).train();
        });
    }

    /**
     * Refuses to resume an ensemble's run: its members train in runs of their own one after another, and a resume
     * takes up one network's run only.
     */
    public static void requireResumable(JobConfig config, String runDirPath) {
        if (config.model().isEnsemble()) {
            throw new io.sparklstm.jobs.config.ConfigException(runDirPath + ": train --resume continues one "
                    + "network's run; this run trains an ensemble (" + ModelKeys.ENSEMBLE_MEMBERS.key() + " = "
                    + config.model().ensembleMembers() + "), whose members' runs it cannot take up where they "
                    + "stopped: start it again with train --overwrite");
        }
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
     * 224 of 8,521 ETTh1 windows per epoch). With training.roundsPerJob above 1, the rounds go in jobs of that
     * many ({@link RoundTrainingMaster#fitJob}).
     */
    public static void fitEpoch(JavaSparkContext sc, SparkDl4jMultiLayer sparkNet, List<AveragingRounds.Round> rounds,
                                IntConsumer roundDone) {
        MinibatchLoader loader = new MinibatchLoader(sc);
        int done = 0;
        if (sparkNet.getTrainingMaster() instanceof RoundTrainingMaster master && master.roundsPerJob() > 1) {
            for (int from = 0; from < rounds.size(); from += master.roundsPerJob()) {
                int before = from;
                master.fitJob(sparkNet, rounds.subList(from, Math.min(rounds.size(), from + master.roundsPerJob())),
                        loader, r -> roundDone.accept(before + r));
            }
            return;
        }
        for (AveragingRounds.Round round : rounds) {
            fitRound(sc, sparkNet, round, loader);
            roundDone.accept(++done);
        }
    }

    /**
     * One pass over the training examples when the averaging period is set in time (training.averagingSeconds):
     * as {@link #fitEpoch}, but each round is cut from what is left of the epoch just before it runs, at the size
     * {@code period} chooses from the rounds before it, and the master is told that size (the most minibatches
     * its workers fit, and the iterations it counts). The rounds as fitted: each one's size and the examples the
     * hook counted in it.
     */
    public static List<EpochRecord.AveragingRound> fitTimedEpoch(JavaSparkContext sc, SparkDl4jMultiLayer sparkNet,
                                                                 AveragingRounds plan,
                                                                 List<AveragingRounds.MinibatchFile> files,
                                                                 AveragingPeriod period, LossHook hook,
                                                                 IntConsumer roundDone) {
        if (!(sparkNet.getTrainingMaster() instanceof RoundTrainingMaster master)) {
            throw new IllegalStateException("rounds sized in time need train's master, not "
                    + sparkNet.getTrainingMaster().getClass().getName());
        }
        MinibatchLoader loader = new MinibatchLoader(sc);
        List<AveragingRounds.Piece> pieces = plan.pieces(files);
        long left = pieces.stream().mapToLong(AveragingRounds.Piece::examples).sum();
        List<EpochRecord.AveragingRound> fitted = new ArrayList<>();
        for (int from = 0; from < pieces.size(); ) {
            int size = period.next(left);
            AveragingRounds.Round round = plan.round(pieces, from, size);
            master.nextRoundFits(size);
            long before = hook.examples();
            fitRound(sc, sparkNet, round, loader);
            master.lastRound().ifPresent(times -> period.fitted(round, times));
            fitted.add(new EpochRecord.AveragingRound(size, hook.examples() - before));
            from += round.pieces();
            left -= round.examples();
            roundDone.accept(fitted.size());
        }
        return fitted;
    }

    /** One averaging round: each worker's share in a partition of its own. */
    private static void fitRound(JavaSparkContext sc, SparkDl4jMultiLayer sparkNet, AveragingRounds.Round round,
                                 MinibatchLoader loader) {
        if (sparkNet.getTrainingMaster() instanceof RoundTrainingMaster master) master.nextRoundHas(round.pieces());
        sparkNet.fitPaths(roundPaths(sc, round.workerPaths()), loader);
    }

    /** A round's paths, each worker's share in a partition of its own. */
    static JavaRDD<String> roundPaths(JavaSparkContext sc, List<List<String>> workerPaths) {
        // one element per partition: parallelize cuts a list of n elements into n slices of one each
        List<List<String>> shares = new ArrayList<>();
        for (List<String> share : workerPaths) shares.add(new ArrayList<>(share));
        return sc.parallelize(shares, shares.size()).flatMap(List::iterator);
    }

    /** The validation metric that picks the best epoch: configured, or the validation loss. */
    static String selectionMetric(TrainingConfig tc, Preparation prep) {
        String metric = tc.metric().isEmpty() ? Metrics.DEFAULT_SELECTION_METRIC : tc.metric();
        boolean classificationMetric = Metrics.CLASS_SCORE_METRICS.contains(metric);
        boolean forecastMetric = metric.equals("mse") || metric.equals("mae") || metric.equals("rmse");
        if ((classificationMetric && !prep.task().isClassification())
                || (forecastMetric && prep.task().isClassification())) {
            throw new io.sparklstm.jobs.config.ConfigException(InvalidSetting.message(TrainingKeys.METRIC.key(),
                    InvalidSetting.quoted(metric), "a metric of the " + prep.task().name().toLowerCase() + " task"));
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
                // dl4j-spark caches each round's paths RDD and never unpersists it; the driver's list needs no cache
                .storageLevelStreams(null)
                .rngSeed(seed)
                .collectTrainingStats(tc.dl4jStatistics())
                .trainingHooks(hook), tc.reuseWorkerNetworks(), tc.roundsPerJob(), tc.exchangePort());
    }

    static Provenance provenance(JavaSparkContext sc) {
        Map<String, String> extra = new TreeMap<>();
        extra.put("master", sc.master());
        extra.put("defaultParallelism", Integer.toString(sc.defaultParallelism()));
        return Provenance.current(BuildInfo.version(), BuildInfo.libraries(sc.version()), extra);
    }

    /** The paths of a manifest's files (relative to its dataset directory) as the workers open them. */
    public static List<String> absolute(String dataDir, List<String> relative) {
        List<String> out = new ArrayList<>(relative.size());
        for (String r : relative) out.add(new Path(dataDir, r).toString());
        return out;
    }
}
