package io.sparklstm.ml;

import com.fasterxml.jackson.core.type.TypeReference;
import io.sparklstm.jobs.evaluate.Metrics;
import io.sparklstm.jobs.train.RunDirectory;
import io.sparklstm.model.Json;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a fit went, as Spark's training summaries tell it: one record per epoch (the training run's
 * {@code metrics.jsonl}: training loss, examples, throughput, learning rate, validation metrics when there is a
 * validation split) and the final metrics of each split ({@code summary.json}'s {@code train} and
 * {@code validation}) with the run's {@code training} facts (epochs, best epoch, workers, seconds).
 */
public final class LstmTrainingSummary implements Serializable {

    private final List<Map<String, Object>> epochs;
    private final Map<String, Map<String, Object>> finalMetrics;

    LstmTrainingSummary(List<Map<String, Object>> epochs, Map<String, Map<String, Object>> finalMetrics) {
        this.epochs = List.copyOf(epochs);
        this.finalMetrics = Collections.unmodifiableMap(finalMetrics);
    }

    /** The summary of the training run in {@code runDir}, whose final metrics are {@code summary}. */
    static LstmTrainingSummary read(String runDir, Configuration conf, Map<String, Metrics> summary) {
        Path metrics = new Path(runDir, RunDirectory.METRICS);
        List<Map<String, Object>> epochs = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(metrics.getFileSystem(conf).open(metrics),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) epochs.add(Json.mapper().readValue(line, new TypeReference<>() { }));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + metrics + ": " + e.getMessage(), e);
        }
        Map<String, Map<String, Object>> finalMetrics = new LinkedHashMap<>();
        summary.forEach((split, scores) -> finalMetrics.put(split, scores.asJsonObject()));
        return new LstmTrainingSummary(epochs, finalMetrics);
    }

    /** Epochs trained (fewer than configured when early stopping ended the fit). */
    public int totalEpochs() {
        return epochs.size();
    }

    /** Each epoch's record, as in a training run's {@code metrics.jsonl}. */
    public List<Map<String, Object>> epochs() {
        return epochs;
    }

    /** The mean training loss of each epoch, first to last (Spark's {@code objectiveHistory}). */
    public double[] objectiveHistory() {
        return epochs.stream().mapToDouble(e -> ((Number) e.get("trainLoss")).doubleValue()).toArray();
    }

    /**
     * A validation metric per epoch ({@code loss}, {@code accuracy}, {@code f1}); empty without a validation split
     * ({@code validationFraction} 0).
     */
    @SuppressWarnings("unchecked")
    public double[] validationHistory(String metric) {
        List<Double> out = new ArrayList<>();
        for (Map<String, Object> e : epochs) {
            Object validation = e.get("validation");
            if (validation instanceof Map<?, ?> m && m.get(metric) instanceof Number n) out.add(n.doubleValue());
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The chosen parameters' metrics on each split the fit had ({@code train}, {@code validation}). */
    public Map<String, Map<String, Object>> finalMetrics() {
        return finalMetrics;
    }
}
