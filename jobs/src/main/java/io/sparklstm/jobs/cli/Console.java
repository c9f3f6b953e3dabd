package io.sparklstm.jobs.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What commands print for people: short lines with the figures that matter. */
final class Console {

    private static final List<String> SHOWN = List.of("examples", "loss", "perplexity", "accuracy", "f1", "mse", "mae", "rmse",
            "mse_original", "mae_original", "rmse_original");

    private Console() {
    }

    static void printMetrics(PrintStream out, Map<String, Map<String, Object>> metrics) {
        metrics.forEach((split, m) -> {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-10s", split));
            for (String key : SHOWN) {
                Object v = m.get(key);
                if (v == null) continue;
                line.append("  ").append(key).append(' ')
                        .append(v instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : v);
            }
            out.println(line);
            naiveLine(m).ifPresent(out::println);
        });
    }

    /**
     * For a forecast: how it compares with the best naive forecast of the same windows, so that a model that
     * loses to "the same hour yesterday" is seen at once.
     */
    static java.util.Optional<String> naiveLine(Map<String, Object> m) {
        if (!(m.get("bestBaseline") instanceof String best) || !(m.get("skill") instanceof Map<?, ?> skill)
                || !(m.get("baselines") instanceof Map<?, ?> baselines)
                || !(baselines.get(best) instanceof Map<?, ?> b)) {
            return java.util.Optional.empty();
        }
        double s = ((Number) skill.get(best)).doubleValue();
        return java.util.Optional.of(String.format(Locale.ROOT, "%-10s  best naive forecast: %s, mse %.4f; the model "
                + "%s it: skill %+.3f%s", "", best, ((Number) b.get("mse")).doubleValue(), s > 0 ? "beats" : "LOSES TO",
                s, m.get("mase") instanceof Number mase ? String.format(Locale.ROOT, ", MASE %.3f", mase.doubleValue())
                        : ""));
    }
}
