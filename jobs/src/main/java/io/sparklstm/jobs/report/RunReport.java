package io.sparklstm.jobs.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.sparklstm.jobs.BuildInfo;
import io.sparklstm.model.Json;
import io.sparklstm.model.data.Preparation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code report.html}: one self-contained page (Chart.js is inlined, nothing is fetched) with the loss and
 * validation curves per epoch, throughput, the final metrics of each split, and the test confusion matrix
 * as a heat map (classification) or the error per horizon step and forecasts against actual values for
 * some test windows (forecasting).
 */
public final class RunReport {

    private RunReport() {
    }

    public static String html(Preparation prep, List<Map<String, Object>> epochs,
                              Map<String, Map<String, Object>> summary, Map<String, Object> training,
                              List<ForecastSample> samples) {
        boolean classification = prep.task().isClassification();
        List<String> metrics = classification ? List.of("accuracy", "f1") : List.of("mse", "mae");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("epochs", column(epochs, null, "epoch"));
        data.put("trainLoss", column(epochs, null, "trainLoss"));
        data.put("validationLoss", column(epochs, "validation", "loss"));
        for (String m : metrics) data.put(m, column(epochs, "validation", m));
        data.put("samplesPerSecond", column(epochs, null, "samplesPerSecond"));
        data.put("time", epochTime(epochs).orElse(null)); // written as null: the page's script tests for it
        data.put("metrics", metrics);
        Map<String, Object> test = summary.getOrDefault("test", Map.of());
        if (!classification && test.get("perHorizonStep") instanceof Map<?, ?> steps) {
            data.put("horizonRmse", steps.get("rmse"));
            Map<String, Object> naive = new LinkedHashMap<>();
            if (test.get("baselines") instanceof Map<?, ?> baselines) {
                baselines.forEach((name, b) -> {
                    if (b instanceof Map<?, ?> bm && bm.get("perHorizonStep") instanceof Map<?, ?> bs) {
                        naive.put(String.valueOf(name), bs.get("rmse"));
                    }
                });
            }
            data.put("baselineRmse", naive);
        }
        data.put("samples", samples);

        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>spark-lstm run</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#222}")
                .append("h1{margin-bottom:4px}.grid{display:grid;grid-template-columns:1fr 1fr;gap:16px}")
                .append(".card{border:1px solid #ddd;border-radius:6px;padding:12px}.card h2{font-size:15px;margin:0 0 8px}")
                .append("table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:4px 8px;text-align:right}")
                .append("th{background:#f5f5f5}.muted{color:#666;font-size:13px}")
                .append(".verdict{font-size:16px;border-left:4px solid #d62728;padding:4px 10px}</style><script>")
                .append(chartJs()).append("</script></head><body>");
        h.append("<h1>spark-lstm training run</h1><p class=\"muted\">").append(esc(describe(prep, training)))
                .append("</p>");
        verdict(test).ifPresent(v -> h.append("<p class=\"verdict\">").append(esc(v)).append("</p>"));

        h.append("<div class=\"grid\">");
        card(h, "Loss per epoch", "loss");
        card(h, "Validation " + String.join(" and ", metrics) + " per epoch", "metric");
        card(h, "Training throughput (samples/s)", "speed");
        if (data.get("time") != null) card(h, "Where each epoch's time went (driver wall seconds)", "time");
        if (!classification) card(h, "Test RMSE per horizon step (standardized), model and naive forecasts", "horizon");
        h.append("</div>");

        h.append("<h2>Final metrics</h2>").append(metricsTable(summary, classification, prep.task().perStep()));
        if (!classification) h.append(baselineTable(summary));
        if (classification && test.get("confusionMatrix") instanceof List<?> rows) {
            h.append("<h2>Test confusion matrix</h2><p class=\"muted\">Rows: actual class; columns: predicted.</p>")
                    .append(heatMap(rows, prep.classNames()));
        }
        if (!samples.isEmpty()) {
            h.append("<h2>Forecasts against actual values (test windows, ").append(esc(samples.get(0).target()))
                    .append(", data units)</h2><div class=\"grid\">");
            for (int i = 0; i < samples.size(); i++) card(h, "Test window " + (i + 1), "sample" + i);
            h.append("</div>");
        }
        h.append("<p class=\"muted\">Per-epoch records: metrics.jsonl. Timing of dl4j-spark's phases: ")
                .append("<a href=\"training-stats.html\">training-stats.html</a>.</p>");
        h.append("<script>const D=").append(json(data)).append(";").append(SCRIPT).append("</script></body></html>\n");
        return h.toString();
    }

    private static final String SCRIPT = """
            const line=(id,labels,sets,opts)=>new Chart(document.getElementById(id),{type:'line',
              data:{labels:labels,datasets:sets},options:Object.assign({animation:false,responsive:true,
              interaction:{mode:'index',intersect:false},scales:{x:{title:{display:true,text:'epoch'}}}},opts||{})});
            line('loss',D.epochs,[{label:'train',data:D.trainLoss,borderColor:'#1f77b4'},
              {label:'validation',data:D.validationLoss,borderColor:'#ff7f0e'}]);
            line('metric',D.epochs,D.metrics.map((m,i)=>({label:m,data:D[m],borderColor:['#2ca02c','#9467bd'][i]})));
            line('speed',D.epochs,[{label:'samples/s',data:D.samplesPerSecond,borderColor:'#8c564b'}]);
            if(D.time){const c=['#1f77b4','#2ca02c','#ff7f0e','#9467bd','#7f7f7f'];
              new Chart(document.getElementById('time'),{type:'bar',data:{labels:D.epochs,
              datasets:Object.keys(D.time).map((k,i)=>({label:k,data:D.time[k],backgroundColor:c[i]}))},
              options:{animation:false,responsive:true,interaction:{mode:'index',intersect:false},
              scales:{x:{stacked:true,title:{display:true,text:'epoch'}},y:{stacked:true,title:{display:true,text:'s'}}}}});}
            if(D.horizonRmse){const bc=['#7f7f7f','#2ca02c','#bcbd22'];
              line('horizon',D.horizonRmse.map((_,i)=>i+1),[{label:'model',data:D.horizonRmse,borderColor:'#d62728'}]
              .concat(Object.keys(D.baselineRmse||{}).map((k,i)=>({label:k+' (naive)',data:D.baselineRmse[k],
              borderColor:bc[i%3],borderDash:[4,3]}))),{scales:{x:{title:{display:true,text:'steps ahead'}}}});}
            D.samples.forEach((s,i)=>{const n=s.history.length,hz=s.actual.length;
              const labels=[...Array(n+hz).keys()].map(k=>k-n+1);
              const pad=a=>Array(n-1).fill(null).concat([s.history[n-1]]).concat(a);
              line('sample'+i,labels,[{label:'history',data:s.history.concat(Array(hz).fill(null)),borderColor:'#7f7f7f'},
                {label:'actual',data:pad(s.actual),borderColor:'#1f77b4'},
                {label:'forecast',data:pad(s.predicted),borderColor:'#d62728',borderDash:[5,3]}],
                {scales:{x:{title:{display:true,text:'steps from the last input'}}}});});
            """;

    private static void card(StringBuilder h, String title, String id) {
        h.append("<div class=\"card\"><h2>").append(esc(title)).append("</h2><canvas id=\"").append(id)
                .append("\" height=\"200\"></canvas></div>");
    }

    private static String metricsTable(Map<String, Map<String, Object>> summary, boolean classification,
                                       boolean perStep) {
        List<String> columns = perStep
                ? List.of("examples", "steps", "loss", "perplexity", "accuracy", "f1")
                : classification
                ? List.of("examples", "loss", "accuracy", "f1", "precision", "recall")
                : List.of("examples", "loss", "mse", "mae", "rmse", "mse_original", "mae_original", "rmse_original");
        StringBuilder t = new StringBuilder("<table><tr><th>split</th>");
        columns.forEach(c -> t.append("<th>").append(c).append("</th>"));
        t.append("</tr>");
        summary.forEach((split, m) -> {
            t.append("<tr><th>").append(esc(split)).append("</th>");
            columns.forEach(c -> t.append("<td>").append(num(m.get(c))).append("</td>"));
            t.append("</tr>");
        });
        return t.append("</table>").toString();
    }

    /**
     * One sentence on the test split: whether the model beats the best naive forecast of the same windows, and by
     * how much; empty for classification or without baselines.
     */
    static java.util.Optional<String> verdict(Map<String, Object> test) {
        if (!(test.get("bestBaseline") instanceof String best) || !(test.get("skill") instanceof Map<?, ?> skill)
                || !(test.get("baselines") instanceof Map<?, ?> baselines)
                || !(baselines.get(best) instanceof Map<?, ?> b) || !(test.get("mse") instanceof Number mse)) {
            return java.util.Optional.empty();
        }
        double s = ((Number) skill.get(best)).doubleValue();
        double naive = ((Number) b.get("mse")).doubleValue();
        String others = baselines.keySet().stream().filter(k -> !k.equals(best))
                .map(k -> k + " " + String.format(Locale.ROOT, "%+.1f%%", 100 * ((Number) skill.get(k)).doubleValue()))
                .collect(java.util.stream.Collectors.joining(", "));
        return java.util.Optional.of(String.format(Locale.ROOT, "On the test split the model %s the best naive "
                        + "forecast, %s: MSE %.4f against %.4f (skill %+.1f%%)%s.", s > 0 ? "beats" : "loses to", best,
                mse.doubleValue(), naive, 100 * s, others.isEmpty() ? "" : "; skill over the others: " + others));
    }

    /** The naive forecasts' errors on each split's windows beside the model's, with its skill over each. */
    private static String baselineTable(Map<String, Map<String, Object>> summary) {
        StringBuilder t = new StringBuilder();
        List<String> columns = List.of("mse", "mae", "rmse", "rmse_original");
        summary.forEach((split, m) -> {
            if (!(m.get("baselines") instanceof Map<?, ?> baselines) || baselines.isEmpty()) return;
            if (t.length() == 0) {
                t.append("<h2>Naive forecasts of the same windows</h2><table><tr><th>split</th><th>forecast</th>");
                columns.forEach(c -> t.append("<th>").append(c).append("</th>"));
                t.append("<th>model skill</th><th>MASE</th></tr>");
            }
            t.append("<tr><th>").append(esc(split)).append("</th><th>model</th>");
            columns.forEach(c -> t.append("<td>").append(num(m.get(c))).append("</td>"));
            t.append("<td></td><td>").append(num(m.get("mase"))).append("</td></tr>");
            Map<?, ?> skill = (Map<?, ?>) m.get("skill");
            baselines.forEach((name, b) -> {
                t.append("<tr><th></th><th>").append(esc(String.valueOf(name))).append("</th>");
                columns.forEach(c -> t.append("<td>").append(num(((Map<?, ?>) b).get(c))).append("</td>"));
                t.append("<td>").append(num(skill.get(name))).append("</td><td></td></tr>");
            });
        });
        return t.length() == 0 ? "" : t.append("</table><p class=\"muted\">Skill: 1 - model MSE / naive MSE (above 0: "
                + "the model is better). MASE: MAE over the training windows' in-sample naive MAE.</p>").toString();
    }

    /** The confusion matrix with each cell shaded by its share of the row (its recall). */
    private static String heatMap(List<?> rows, List<String> classes) {
        StringBuilder t = new StringBuilder("<table><tr><th></th>");
        classes.forEach(c -> t.append("<th>").append(esc(c)).append("</th>"));
        t.append("</tr>");
        for (int i = 0; i < rows.size(); i++) {
            List<?> row = (List<?>) rows.get(i);
            double total = row.stream().mapToDouble(v -> ((Number) v).doubleValue()).sum();
            t.append("<tr><th>").append(esc(classes.get(i))).append("</th>");
            for (Object v : row) {
                double share = total == 0 ? 0 : ((Number) v).doubleValue() / total;
                String color = String.format(Locale.ROOT, "rgba(31,119,180,%.2f)", share);
                t.append("<td style=\"background:").append(color).append(";color:")
                        .append(share > 0.5 ? "#fff" : "#222").append("\">").append(v).append("</td>");
            }
            t.append("</tr>");
        }
        return t.append("</table>").toString();
    }

    private static String describe(Preparation prep, Map<String, Object> training) {
        return String.format(Locale.ROOT, "%s dataset, %s; %d features, up to %d steps%s. Trained on %s with %s "
                        + "workers: %s epochs in %.0f s%s; selected epoch %s by validation %s.",
                prep.kind(), prep.task().name().toLowerCase(Locale.ROOT), prep.featureNames().size(),
                prep.windowSteps(), prep.horizonSteps() > 0 ? ", horizon " + prep.horizonSteps() + " steps" : "",
                training.get("master"), training.get("workers"), training.get("epochs"),
                ((Number) training.getOrDefault("seconds", 0.0)).doubleValue(),
                Boolean.TRUE.equals(training.get("stoppedEarly")) ? " (stopped early)" : "",
                training.get("selectedEpoch"), training.get("selectionMetric"));
    }

    /**
     * Each epoch's wall time in parts that add up to it, from the timing record: the Spark jobs in which the
     * workers fit (and their parameters are summed), averaging and broadcasting on the driver, the rest of
     * dl4j-spark's fit calls, and what followed them (validation, checkpoints). Empty without timing records.
     */
    private static Optional<Map<String, List<Object>>> epochTime(List<Map<String, Object>> epochs) {
        Map<String, List<Object>> parts = new LinkedHashMap<>();
        for (String name : List.of("Spark jobs (workers fitting)", "averaging", "broadcast", "other dl4j-spark",
                "validation and checkpoints")) {
            parts.put(name, new ArrayList<>());
        }
        for (Map<String, Object> e : epochs) {
            if (!(e.get("timing") instanceof Map<?, ?> t) || !(e.get("epochSeconds") instanceof Number total)) {
                return Optional.empty();
            }
            double job = seconds(t, "sparkJobSeconds");
            double averaging = seconds(t, "averagingSeconds");
            double broadcast = seconds(t, "broadcastSeconds");
            double fit = seconds(t, "driverFitSeconds");
            List<List<Object>> columns = new ArrayList<>(parts.values());
            columns.get(0).add(job);
            columns.get(1).add(averaging);
            columns.get(2).add(broadcast);
            columns.get(3).add(Math.max(0, fit - job - averaging - broadcast));
            columns.get(4).add(Math.max(0, total.doubleValue() - fit));
        }
        return epochs.isEmpty() ? Optional.empty() : Optional.of(parts);
    }

    private static double seconds(Map<?, ?> timing, String key) {
        return timing.get(key) instanceof Number n ? n.doubleValue() : 0;
    }

    private static List<Object> column(List<Map<String, Object>> epochs, String section, String key) {
        List<Object> out = new ArrayList<>(epochs.size());
        for (Map<String, Object> e : epochs) {
            Object source = section == null ? e : e.get(section);
            out.add(source instanceof Map<?, ?> m ? m.get(key) : null);
        }
        return out;
    }

    /** Chart.js, to inline in a page that must open offline. */
    public static String chartJs() {
        String path = "/META-INF/resources/webjars/chart.js/" + BuildInfo.chartJsVersion() + "/dist/chart.umd.js";
        try (InputStream in = RunReport.class.getResourceAsStream(path)) {
            if (in == null) throw new IOException("not on the classpath: " + path);
            // a literal "</script" inside the library would end the inline script early
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("</script", "<\\/script");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load Chart.js for the report: " + e.getMessage(), e);
        }
    }

    private static String json(Object value) {
        try {
            return Json.compact().writeValueAsString(value).replace("</", "<\\/");
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String num(Object value) {
        if (value instanceof Double d) return String.format(Locale.ROOT, "%.4f", d);
        return value == null ? "" : esc(String.valueOf(value));
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
