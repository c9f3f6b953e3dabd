package io.sparklstm.jobs.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.sparklstm.jobs.config.RetrainKeys;
import io.sparklstm.jobs.evaluate.BaselineComparison;
import io.sparklstm.jobs.evaluate.ForecastErrors;
import io.sparklstm.jobs.evaluate.Metrics;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * When a challenger replaces the champion: it must beat it on {@code metric}, measured on the same holdout,
 * by more than {@code minImprovement} (relative: 0.01 asks for 1% lower error or 1% higher accuracy).
 * Errors and losses improve downwards, accuracy and F1 upwards. With {@code requireSkill}, a forecasting
 * challenger must also beat the best naive forecast of the holdout (its MSE below the baseline's), champion or
 * not: a model that loses to "the same hour yesterday" is never put in service.
 */
public record PromotionRule(String metric, double minImprovement, boolean requireSkill) {

    /** A rule without the naive-baseline requirement. */
    public PromotionRule(String metric, double minImprovement) {
        this(metric, minImprovement, false);
    }

    public PromotionRule {
        RetrainKeys.MIN_IMPROVEMENT.check(minImprovement);
    }

    /** Whether a higher value of {@code metric} is better. */
    public boolean higherIsBetter() {
        return metric.equals("accuracy") || metric.equals("f1");
    }

    /** The decision, with the figures and the reason, as history records it. */
    public Decision decide(Optional<Metrics> champion, Metrics challenger) {
        double c = value(challenger, "challenger");
        Figures figures = new Figures(metric, c, null, null, null, null, null);
        Optional<BaselineComparison.Best> best = requireSkill
                ? challenger.comparison().flatMap(BaselineComparison::best) : Optional.empty();
        if (best.isPresent()) {
            BaselineComparison.Best b = best.get();
            figures = new Figures(metric, c, b.name(), b.skill(), null, null, null);
            if (!(b.skill() > 0)) {
                return new Decision(false, String.format(Locale.ROOT, "challenger loses to the %s naive forecast on "
                        + "the holdout (skill %.4f: MSE %.6g against %.6g); retrain.requireSkill refuses it", b.name(),
                        b.skill(), challenger.forecast().map(ForecastErrors::mse).orElse(Double.NaN), b.errors().mse()),
                        figures);
            }
        }
        if (champion.isEmpty()) {
            return new Decision(true, "no champion yet: the first version is promoted", figures);
        }
        double k = value(champion.get(), "champion");
        double gain = higherIsBetter() ? (c - k) / Math.abs(k) : (k - c) / Math.abs(k);
        if (k == 0) gain = higherIsBetter() ? Math.signum(c - k) : Math.signum(k - c);
        figures = new Figures(metric, c, figures.bestBaseline(), figures.skill(), k, gain, minImprovement);
        boolean promote = gain > minImprovement;
        String reason = String.format(Locale.ROOT, "challenger %s %.6g against champion %.6g: %s by %.2f%%, %s the "
                        + "required %.2f%%", metric, c, k, gain >= 0 ? "better" : "worse", 100 * Math.abs(gain),
                promote ? "more than" : "not more than", 100 * minImprovement);
        return new Decision(promote, reason, figures);
    }

    private double value(Metrics metrics, String who) {
        java.util.OptionalDouble n = metrics.value(metric);
        if (n.isEmpty() || !Double.isFinite(n.getAsDouble())) {
            throw new RegistryException("the " + who + "'s holdout metrics have no finite \"" + metric + "\": "
                    + metrics.asJsonObject().keySet());
        }
        return n.getAsDouble();
    }

    /** A promotion decision. */
    public record Decision(boolean promote, String reason, Figures figures) {
    }

    /**
     * What a decision compared, as history records it: the challenger's value of {@code metric}; with
     * {@code retrain.requireSkill}, the best naive forecast and the challenger's skill over it; against a champion,
     * its value, the relative improvement and the improvement required. Absent figures ({@code null}) are not
     * written.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"metric", "challenger", "bestBaseline", "skill", "champion", "relativeImprovement",
            "minImprovement"})
    public record Figures(String metric, double challenger, String bestBaseline, Double skill, Double champion,
                          Double relativeImprovement, Double minImprovement) {
    }
}
