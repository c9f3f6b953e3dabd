package io.sparklstm.jobs.report;

import io.sparklstm.model.data.Preparation;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report.html}: the epochs, the final metrics of each split and, for classification, the confusion
 * matrix of the test split. Self-contained: no script or style is fetched.
 */
public final class RunReport {

    private RunReport() {
    }

    public static String html(Preparation prep, List<Map<String, Object>> epochs,
                              Map<String, Map<String, Object>> summary, Map<String, Object> training) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>spark-lstm run</title><style>")
                .append("body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}")
                .append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f4f4f4}")
                .append("caption{font-weight:bold;text-align:left;padding:4px 0}</style></head><body>");
        h.append("<h1>spark-lstm training run</h1>");
        h.append("<p>").append(esc(prep.kind())).append(" dataset, task ").append(esc(prep.task().name().toLowerCase()))
                .append(", ").append(prep.featureNames().size()).append(" features, window ").append(prep.windowSteps())
                .append(" steps").append(prep.horizonSteps() > 0 ? ", horizon " + prep.horizonSteps() + " steps" : "")
                .append(". Trained on ").append(esc(String.valueOf(training.get("master")))).append(" with ")
                .append(training.get("workers")).append(" workers, ").append(training.get("epochs"))
                .append(" epochs in ").append(training.get("seconds")).append(" s; selected epoch ")
                .append(training.get("selectedEpoch")).append(".</p>");

        String metric = prep.task().isClassification() ? "accuracy" : "mse";
        h.append("<table><caption>Epochs</caption><tr><th>epoch</th><th>train loss</th><th>validation loss</th><th>validation ")
                .append(metric).append("</th><th>samples/s</th><th>seconds</th></tr>");
        for (Map<String, Object> e : epochs) {
            Map<?, ?> v = e.get("validation") instanceof Map<?, ?> m ? m : Map.of();
            h.append("<tr><td>").append(e.get("epoch")).append(Boolean.TRUE.equals(e.get("best")) ? " *" : "")
                    .append("</td><td>").append(num(e.get("trainLoss"))).append("</td><td>").append(num(v.get("loss")))
                    .append("</td><td>").append(num(v.get(metric))).append("</td><td>").append(num(e.get("samplesPerSecond")))
                    .append("</td><td>").append(num(e.get("epochSeconds"))).append("</td></tr>");
        }
        h.append("</table><p>* the validation metric improved in that epoch.</p>");

        List<String> columns = prep.task().isClassification()
                ? List.of("examples", "loss", "accuracy", "f1", "precision", "recall")
                : List.of("examples", "loss", "mse", "mae", "rmse", "mse_original", "mae_original", "rmse_original");
        h.append("<table><caption>Final metrics</caption><tr><th>split</th>");
        columns.forEach(c -> h.append("<th>").append(c).append("</th>"));
        h.append("</tr>");
        summary.forEach((split, m) -> {
            h.append("<tr><th>").append(split).append("</th>");
            columns.forEach(c -> h.append("<td>").append(num(m.get(c))).append("</td>"));
            h.append("</tr>");
        });
        h.append("</table>");

        Map<String, Object> test = summary.get("test");
        if (prep.task().isClassification() && test != null && test.get("confusionMatrix") instanceof List<?> rows) {
            h.append("<table><caption>Test confusion matrix (rows: actual, columns: predicted)</caption><tr><th></th>");
            prep.classNames().forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
            h.append("</tr>");
            for (int i = 0; i < rows.size(); i++) {
                h.append("<tr><th>").append(esc(prep.classNames().get(i))).append("</th>");
                for (Object count : (List<?>) rows.get(i)) h.append("<td>").append(count).append("</td>");
                h.append("</tr>");
            }
            h.append("</table>");
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    private static String num(Object value) {
        if (value instanceof Double d) return String.format(Locale.ROOT, "%.4f", d);
        return value == null ? "" : esc(String.valueOf(value));
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
