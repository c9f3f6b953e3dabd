package io.sparklstm.jobs.cli;

import io.sparklstm.jobs.evaluate.BaselineComparison;
import io.sparklstm.jobs.evaluate.Metrics;
import io.sparklstm.model.ModelKeys;

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

    /** For an ensemble (more than one member): that the metrics printed are those of the members' mean. */
    static void printEnsemble(PrintStream out, int members) {
        if (members > 1) {
            out.println("model: an ensemble of " + members + " networks (" + ModelKeys.ENSEMBLE_MEMBERS.key()
                    + "); the metrics are of their mean output, each network's alone in summary.json "
                    + "(training.members)");
        }
    }

    static void printMetrics(PrintStream out, Map<String, Metrics> metrics) {
        metrics.forEach((split, m) -> {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-10s", split));
            Map<String, Object> figures = m.asJsonObject();
            for (String key : SHOWN) {
                Object v = figures.get(key);
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
    static java.util.Optional<String> naiveLine(Metrics m) {
        return m.comparison().flatMap(BaselineComparison::best).map(best -> String.format(Locale.ROOT,
                "%-10s  best naive forecast: %s, mse %.4f; the model %s it: skill %+.3f%s", "", best.name(),
                best.errors().mse(), best.skill() > 0 ? "beats" : "LOSES TO", best.skill(),
                m.mase().map(mase -> String.format(Locale.ROOT, ", MASE %.3f", mase)).orElse("")));
    }
}
