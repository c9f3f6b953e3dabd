package io.sparklstm.jobs.registry;

import io.sparklstm.jobs.BuildInfo;
import io.sparklstm.jobs.config.JobConfig;
import io.sparklstm.jobs.evaluate.DistributedEvaluator;
import io.sparklstm.jobs.evaluate.PreparationMatch;
import io.sparklstm.jobs.evaluate.Metrics;
import io.sparklstm.jobs.evaluate.SplitMetrics;
import io.sparklstm.jobs.train.TrainJob;
import io.sparklstm.model.bundle.ModelBundle;
import io.sparklstm.model.data.DatasetManifest;
import io.sparklstm.model.data.Preparation;
import io.sparklstm.model.data.Standardizer;
import io.sparklstm.prep.output.CrashPoints;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code retrain}: one scheduled round. Under the registry's lock (a lease, checked before every write): finish
 * what a crashed round left (a promotion not yet recorded, a version published but never promoted, staging
 * files); skip a round already decided; prepare
 * the new data with the champion's preparation (so both models see the same inputs); train a challenger
 * warm-started from the champion; score both on the new data's test split (the fresh holdout); check drift;
 * promote by the rule, record the decision, apply retention.
 */
public final class RetrainJob {

    private static final Logger LOG = LoggerFactory.getLogger(RetrainJob.class);

    /** The round's prepared data and training run, under its work directory. */
    public static final String DATA_DIR = "data";
    public static final String RUN_DIR = "run";

    /** How a round ended. */
    public enum Outcome { PROMOTED, KEPT_CHAMPION }

    /** A round's outcome and its history record. */
    public record Result(Outcome outcome, RoundRecord record) {
    }

    /** The new data prepared into {@code dataDir}, and its own statistics (for drift) when it has a normalizer. */
    public record Prepared(DatasetManifest manifest, Optional<Standardizer> observed) {
    }

    /** Prepares the round's data, with the champion's preparation when there is a champion. */
    @FunctionalInterface
    public interface Preparer {
        Prepared prepare(JavaSparkContext sc, JobConfig config, String dataDir, Optional<Preparation> reuse);
    }

    private RetrainJob() {
    }

    public static Result run(JavaSparkContext sc, JobConfig config, RetrainConfig rc, String round, String workDir,
                             Preparer preparer) {
        ModelRegistry.checkFilesystem(rc.registry(), sc.hadoopConfiguration(), rc.allowNonAtomicFilesystem());
        ModelRegistry registry = new ModelRegistry(rc.registry(), rc.name(), sc.hadoopConfiguration());
        try (RegistryLock lock = registry.lock("retrain round " + round, rc.lockStale())) {
            CrashPoints.reach("retrain.locked");
            lock.broken().ifPresent(b -> registry.record(lock, RoundRecord.lockBroken(round, b)));
            registry.tidy(lock);
            reconcile(registry, lock);
            Optional<RoundRecord> decided = decision(registry, round);
            if (decided.isPresent()) {
                LOG.info("retrain: round {} was already decided: {}", round, decided.get().decision());
                return new Result(outcomeOf(decided.get()), decided.get());
            }
            return runRound(sc, config, rc, round, workDir, preparer, registry, lock);
        }
    }

    private static Result runRound(JavaSparkContext sc, JobConfig config, RetrainConfig rc, String round,
                                   String workDir, Preparer preparer, ModelRegistry registry, RegistryLock lock) {
        Optional<Integer> championVersion = registry.current();
        Optional<ModelBundle> champion = championVersion.map(registry::bundle);
        String dataDir = new Path(workDir, DATA_DIR).toString();
        Prepared prepared = preparer.prepare(sc, config, dataDir, champion.map(c -> c.info().preparation()));
        DatasetManifest manifest = prepared.manifest();
        Preparation prep = manifest.preparation();
        // the champion is scored on this data: it must be prepared as the champion's training data was
        champion.ifPresent(c -> PreparationMatch.require(c.info().preparation(), manifest, dataDir));

        Optional<DriftReport> drift = champion.flatMap(c -> Optional.ofNullable(c.info().preparation().normalizer()))
                .flatMap(trained -> prepared.observed().map(now -> DriftReport.compare(trained, now, rc.maxMeanShift())));
        drift.ifPresent(d -> LOG.info("retrain: drift: {}", d.summary()));

        lock.checkHeld(); // a run that lost its lock while preparing does not train
        TrainJob.Result trained = TrainJob.run(sc, config, dataDir, new Path(workDir, RUN_DIR).toString(), true,
                champion);
        Metrics challengerMetrics = trained.summary().get("test");
        Optional<Metrics> championMetrics = champion.map(c -> holdoutMetrics(sc, c, manifest, dataDir));
        CrashPoints.reach("retrain.trained");
        PromotionRule.Decision decision = rc.rule().decide(championMetrics, challengerMetrics);
        boolean driftOk = drift.map(DriftReport::withinLimit).orElse(true);
        boolean promote = decision.promote() && driftOk;

        String reason = driftOk ? decision.reason() : decision.reason() + "; refused: drift " + drift.get().summary();
        RoundRecord.Round compared = new RoundRecord.Round(round, championVersion, decision.figures(),
                challengerMetrics.asJsonObject(), championMetrics.map(Metrics::asJsonObject), drift.map(DriftReport::asJsonObject),
                trained.runDir(), prep.dataFingerprint());
        RoundRecord record = RoundRecord.decided(compared,
                promote ? RoundDecision.PROMOTED : RoundDecision.KEPT_CHAMPION, reason);
        if (promote) {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("round", round);
            info.put("parent", championVersion.orElse(null));
            info.put("createdAt", Instant.now().toString());
            info.put("codeVersion", BuildInfo.version());
            info.put("dataFingerprint", prep.dataFingerprint());
            info.put("holdoutMetrics", challengerMetrics);
            info.put("run", trained.runDir());
            info.put("config", config.render());
            int version = registry.publish(lock, trained.bundle(), info);
            CrashPoints.reach("registry.publish.renamed");
            registry.promote(lock, version);
            CrashPoints.reach("registry.promote.renamed");
            record = record.promotedAs(version);
        }
        registry.record(lock, record);
        CrashPoints.reach("registry.record.renamed");
        List<Integer> deleted = registry.retain(lock, rc.keepVersions());
        if (!deleted.isEmpty()) LOG.info("retrain: retention removed versions {}", deleted);
        CrashPoints.reach("retrain.retained");
        LOG.info("retrain: round {}: {} ({})", round, record.decision(), reason);
        return new Result(promote ? Outcome.PROMOTED : Outcome.KEPT_CHAMPION, record);
    }

    /** The champion scored on the round's holdout (the test split), prepared with its own preparation. */
    private static Metrics holdoutMetrics(JavaSparkContext sc, ModelBundle champion,
                                                      DatasetManifest manifest, String dataDir) {
        Preparation prep = manifest.preparation();
        List<String> files = TrainJob.absolute(dataDir, manifest.split("test").files());
        return SplitMetrics.of(sc, champion.ensemble(), prep, Map.of("test", files),
                TrainJob.absolute(dataDir, manifest.split("train").files()), 1).get("test");
    }

    /**
     * Records what a crash left undone: a version in service whose promotion was not recorded, and versions
     * published but never promoted (abandoned; a rerun of their round trains again). A registry whose
     * {@code CURRENT} an older version lost in a crash (it deleted, then renamed) gets it back: the version
     * last recorded as promoted, when it is still there.
     */
    static void reconcile(ModelRegistry registry, RegistryLock lock) {
        Set<Integer> recorded = new TreeSet<>();
        Optional<RoundRecord> lastPromoted = Optional.empty();
        for (RoundRecord h : registry.history()) {
            if (h.recordedVersion().isPresent()) {
                recorded.add(h.version());
                if (h.decision() == RoundDecision.PROMOTED) lastPromoted = Optional.of(h);
            }
        }
        Optional<Integer> current = registry.current();
        List<Integer> versions = registry.versions();
        Optional<Integer> restore = lastPromoted.map(RoundRecord::version);
        if (current.isEmpty() && restore.isPresent() && versions.contains(restore.get())) {
            registry.promote(lock, restore.get());
            current = restore;
            RoundRecord restored = RoundRecord.restored(String.valueOf(lastPromoted.get().round()), "recovered: CURRENT "
                    + "was missing (an older version lost it in a crash); it names version " + current.get()
                    + " again, the one last promoted");
            LOG.warn("retrain: {}", restored.reason());
            registry.record(lock, restored);
        }
        for (int version : versions) {
            if (recorded.contains(version)) continue;
            Map<String, Object> info = registry.info(version);
            String round = String.valueOf(info.get("round"));
            RoundRecord record;
            if (current.isPresent() && current.get() == version) {
                record = RoundRecord.recoveredPromotion(round, "recovered: version " + version + " was put in service "
                        + "before a crash; its decision is recorded now", holdoutMetricsOf(info), version);
            } else {
                record = RoundRecord.abandoned(round, "recovered: version " + version + " was published but not "
                        + "promoted before a crash; the round is run again", version);
            }
            LOG.warn("retrain: {}", record.reason());
            registry.record(lock, record);
            recorded.add(version);
        }
    }

    /** The decision already recorded for {@code round}, if any (an abandoned attempt is not a decision). */
    static Optional<RoundRecord> decision(ModelRegistry registry, String round) {
        Optional<RoundRecord> found = Optional.empty();
        for (RoundRecord h : registry.history()) {
            if (round.equals(h.round()) && h.decision().decidesRound()) found = Optional.of(h);
        }
        return found;
    }

    private static Outcome outcomeOf(RoundRecord record) {
        return record.decision() == RoundDecision.PROMOTED ? Outcome.PROMOTED : Outcome.KEPT_CHAMPION;
    }

    /** The holdout metrics a version.json holds (every published version has them; absent otherwise). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> holdoutMetricsOf(Map<String, Object> info) {
        return info.get("holdoutMetrics") instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }
}
