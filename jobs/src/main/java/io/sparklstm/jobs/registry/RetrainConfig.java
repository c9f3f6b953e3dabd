package io.sparklstm.jobs.registry;

import com.typesafe.config.Config;
import io.sparklstm.jobs.config.ConfigException;
import io.sparklstm.jobs.config.RetrainKeys;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.sparklstm.jobs.config.ConfigValues.read;

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

    /** Reads and checks {@code retrain.*}; every problem reported at once, each with its key. */
    public static RetrainConfig from(Config c) {
        List<String> problems = new ArrayList<>();
        String registry = read(c, RetrainKeys.REGISTRY).trim();
        String name = read(c, RetrainKeys.NAME).trim();
        if (registry.isEmpty()) {
            problems.add(RetrainKeys.REGISTRY.key() + ": required: the registry root, e.g. hdfs:///models");
        }
        if (name.isEmpty()) problems.add(RetrainKeys.NAME.key() + ": required: the model's name in the registry");
        String written = read(c, RetrainKeys.METRIC).trim();
        String metric = written.isEmpty() ? "loss" : written;
        RetrainKeys.METRIC.problem(metric).ifPresent(problems::add);
        double minImprovement = read(c, RetrainKeys.MIN_IMPROVEMENT);
        RetrainKeys.MIN_IMPROVEMENT.problem(minImprovement).ifPresent(problems::add);
        double maxShift = read(c, RetrainKeys.MAX_MEAN_SHIFT);
        RetrainKeys.MAX_MEAN_SHIFT.problem(maxShift).ifPresent(problems::add);
        int keep = keepVersions(c, problems);
        double staleMinutes = read(c, RetrainKeys.LOCK_STALE_MINUTES);
        RetrainKeys.LOCK_STALE_MINUTES.problem(staleMinutes).ifPresent(problems::add);
        if (!problems.isEmpty()) throw new ConfigException(problems);
        return new RetrainConfig(registry, name,
                new PromotionRule(metric, minImprovement, read(c, RetrainKeys.REQUIRE_SKILL)), maxShift, keep,
                Duration.ofMillis(Math.round(staleMinutes * 60_000)), read(c, RetrainKeys.ALLOW_NON_ATOMIC_FILESYSTEM));
    }

    /** {@code retrain.keepVersions}; 1 (and a problem) when it is not a positive integer. */
    private static int keepVersions(Config c, List<String> problems) {
        try {
            int value = read(c, RetrainKeys.KEEP_VERSIONS);
            Optional<String> problem = RetrainKeys.KEEP_VERSIONS.problem(value);
            if (problem.isEmpty()) return value;
            problems.add(problem.get());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        return 1;
    }
}
