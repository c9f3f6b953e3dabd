package io.sparklstm.jobs.registry;

import com.typesafe.config.Config;
import io.sparklstm.jobs.config.ConfigException;
import io.sparklstm.jobs.config.WholeNumbers;
import io.sparklstm.model.InvalidSetting;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code retrain} section: where the registry is, how a challenger earns promotion, what to keep.
 *
 * @param registry         registry root on any Hadoop filesystem
 * @param name             the model's name in the registry
 * @param rule             the holdout metric and the margin a challenger must beat the champion by
 * @param maxMeanShift     drift limit in training standard deviations; 0: report only
 * @param keepVersions     versions kept
 * @param lockStale        how long a lock may go without renewal before it counts as left by a crash
 * @param allowNonAtomicFilesystem whether a registry on a filesystem without atomic renames (s3a) is accepted
 */
public record RetrainConfig(String registry, String name, PromotionRule rule, double maxMeanShift, int keepVersions,
                            Duration lockStale, boolean allowNonAtomicFilesystem) {

    static final List<String> METRICS = List.of("loss", "accuracy", "f1", "mse", "mae", "rmse", "mse_original",
            "mae_original", "rmse_original");

    /** Reads and checks {@code retrain.*}; every problem reported at once, each with its key. */
    public static RetrainConfig from(Config c) {
        List<String> problems = new ArrayList<>();
        String registry = c.getString("retrain.registry").trim();
        String name = c.getString("retrain.name").trim();
        if (registry.isEmpty()) problems.add("retrain.registry: required: the registry root, e.g. hdfs:///models");
        if (name.isEmpty()) problems.add("retrain.name: required: the model's name in the registry");
        String metric = c.getString("retrain.metric").trim();
        if (metric.isEmpty()) metric = "loss";
        if (!METRICS.contains(metric)) {
            problems.add(InvalidSetting.message("retrain.metric", metric, "one of " + METRICS));
        }
        double minImprovement = c.getDouble("retrain.minImprovement");
        if (!(minImprovement >= 0)) {
            problems.add(InvalidSetting.message("retrain.minImprovement", minImprovement, ">= 0"));
        }
        double maxShift = c.getDouble("retrain.maxMeanShift");
        if (!(maxShift >= 0)) problems.add(InvalidSetting.message("retrain.maxMeanShift", maxShift, ">= 0"));
        int keep = positive(c, "retrain.keepVersions", problems);
        double staleMinutes = c.getDouble("retrain.lockStaleMinutes");
        if (!(staleMinutes * 60_000 >= 1_000) || Double.isInfinite(staleMinutes)) {
            problems.add(InvalidSetting.message("retrain.lockStaleMinutes", staleMinutes, "a number of minutes, "
                    + "at least 1 second (fractions allowed: 0.5 is 30 s)"));
        }
        if (!problems.isEmpty()) throw new ConfigException(problems);
        return new RetrainConfig(registry, name,
                new PromotionRule(metric, minImprovement, c.getBoolean("retrain.requireSkill")), maxShift, keep,
                Duration.ofMillis(Math.round(staleMinutes * 60_000)), c.getBoolean("retrain.allowNonAtomicFilesystem"));
    }

    /** A positive integer setting; 1 (and a problem) when it is not one. */
    private static int positive(Config c, String key, List<String> problems) {
        try {
            int value = WholeNumbers.integer(c, key);
            if (value >= 1) return value;
            problems.add(InvalidSetting.message(key, value, "a positive integer"));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        return 1;
    }
}
