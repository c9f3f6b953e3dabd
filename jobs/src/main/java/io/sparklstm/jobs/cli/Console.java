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
        });
    }
}
