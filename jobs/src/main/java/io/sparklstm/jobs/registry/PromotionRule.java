package io.sparklstm.jobs.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.sparklstm.jobs.config.RetrainKeys;

import java.util.Locale;
import java.util.Map;

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
    public Decision decide(Map<String, Object> champion, Map<String, Object> challenger) {
        double c = value(challenger, "challenger");
        Figures figures = new Figures(metric, c, null, null, null, null, null);
        if (requireSkill && challenger.get("bestBaseline") instanceof String best
                && challenger.get("skill") instanceof Map<?, ?> skill && skill.get(best) instanceof Number s) {
            figures = new Figures(metric, c, best, s.doubleValue(), null, null, null);
            if (!(s.doubleValue() > 0)) {
                return new Decision(false, String.format(Locale.ROOT, "challenger loses to the %s naive forecast on "
                        + "the holdout (skill %.4f: MSE %.6g against %.6g); retrain.requireSkill refuses it", best,
                        s.doubleValue(), ((Number) challenger.get("mse")).doubleValue(), baselineMse(challenger, best)),
                        figures);
            }
        }
        if (champion == null) {
            return new Decision(true, "no champion yet: the first version is promoted", figures);
        }
        double k = value(champion, "champion");
        double gain = higherIsBetter() ? (c - k) / Math.abs(k) : (k - c) / Math.abs(k);
        if (k == 0) gain = higherIsBetter() ? Math.signum(c - k) : Math.signum(k - c);
        figures = new Figures(metric, c, figures.bestBaseline(), figures.skill(), k, gain, minImprovement);
        boolean promote = gain > minImprovement;
        String reason = String.format(Locale.ROOT, "challenger %s %.6g against champion %.6g: %s by %.2f%%, %s the "
                        + "required %.2f%%", metric, c, k, gain >= 0 ? "better" : "worse", 100 * Math.abs(gain),
                promote ? "more than" : "not more than", 100 * minImprovement);
        return new Decision(promote, reason, figures);
    }

    private double value(Map<String, Object> metrics, String who) {
        if (!(metrics.get(metric) instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            throw new RegistryException("the " + who + "'s holdout metrics have no finite \"" + metric + "\": "
                    + metrics.keySet());
        }
        return n.doubleValue();
    }

    private static double baselineMse(Map<String, Object> metrics, String baseline) {
        return metrics.get("baselines") instanceof Map<?, ?> b && b.get(baseline) instanceof Map<?, ?> m
                && m.get("mse") instanceof Number n ? n.doubleValue() : Double.NaN;
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
