package io.sparklstm.jobs.config;

import io.sparklstm.model.settings.Section;
import io.sparklstm.model.settings.Setting;
import io.sparklstm.model.settings.Validator;

import java.util.List;

/**
 * The {@code retrain} section of the configuration: each key once, with its default, its meaning and its check
 * ({@code registry.RetrainConfig} checks its values with them; declared here, below the registry, so that the
 * catalogue needs no package above it). Messages show values as they are.
 */
public final class RetrainKeys {

    private RetrainKeys() {
    }

    /** Holdout metrics champion and challenger can be compared on. */
    public static final List<String> METRICS = List.of("loss", "accuracy", "f1", "mse", "mae", "rmse", "mse_original",
            "mae_original", "rmse_original");

    /** Required: checked trimmed by {@code RetrainConfig}, which says what it is for. */
    public static final Setting<String> REGISTRY = Setting.text("retrain.registry", "", Validator.any(), """
            the registry root on any Hadoop filesystem (hdfs://..., file://...); the model lives in <registry>/<name>/
            """).shownAsIs();
    /** Required: checked trimmed by {@code RetrainConfig}. */
    public static final Setting<String> NAME = Setting.text("retrain.name", "", Validator.any(), """
            the model's name in the registry
            """).shownAsIs();
    /** Checked trimmed, empty read as {@code loss}. */
    public static final Setting<String> METRIC = Setting.text("retrain.metric", "",
            Validator.of(m -> m.isEmpty() || METRICS.contains(m), "one of " + METRICS), """
            holdout metric on which champion and challenger are compared: loss, accuracy, f1, mse, mae, rmse, or an
            _original error (mse_original, ...); empty: the validation-loss default, "loss"
            """).shownAsIs();
    public static final Setting<Double> MIN_IMPROVEMENT = Setting.number("retrain.minImprovement", 0.0,
            Validator.atLeastZero(), """
            the challenger is promoted only when better than the champion by more than this fraction (0.01 = 1%)
            """).shownAsIs();
    public static final Setting<Boolean> REQUIRE_SKILL = Setting.bool("retrain.requireSkill", true, """
            a forecasting challenger must also beat the best naive forecast (persistence, seasonal, mean) of the
            holdout, first version included: skill > 0 against it, or it is not promoted
            """).shownAsIs();
    public static final Setting<Double> MAX_MEAN_SHIFT = Setting.number("retrain.maxMeanShift", 0.0,
            Validator.atLeastZero(), """
            refuse a promotion when a feature's mean moved more than this many training standard deviations; 0: report only
            """).shownAsIs();
    public static final Setting<Integer> KEEP_VERSIONS = Setting.integer("retrain.keepVersions", 5,
            Validator.positive(), """
            versions kept under versions/ (the one in service always stays)
            """).shownAsIs();
    public static final Setting<Double> LOCK_STALE_MINUTES = Setting.number("retrain.lockStaleMinutes", 360,
            Validator.of(m -> m * 60_000 >= 1_000 && !Double.isInfinite(m),
                    "a number of minutes, at least 1 second (fractions allowed: 0.5 is 30 s)"), """
            the lock is a lease its run renews every quarter of this; one not renewed for this long is taken to be left
            by a crashed or hung run and is broken (on this host a lock whose process is gone is broken at once); fractions
            allowed. A run whose lock was broken stops before its next write to the registry (exit 75)
            """).shownAsIs();
    public static final Setting<Boolean> ALLOW_NON_ATOMIC_FILESYSTEM = Setting.bool("retrain.allowNonAtomicFilesystem",
            false, """
            the registry needs atomic renames and create-if-absent (HDFS, local or NFS paths); true also accepts other
            filesystems (s3a), where a crash can leave it half updated and two runs can both take the lock
            """).shownAsIs();

    public static final Section SECTION = new Section("retrain", List.of(REGISTRY, NAME, METRIC, MIN_IMPROVEMENT,
            REQUIRE_SKILL, MAX_MEAN_SHIFT, KEEP_VERSIONS, LOCK_STALE_MINUTES, ALLOW_NON_ATOMIC_FILESYSTEM));
}
