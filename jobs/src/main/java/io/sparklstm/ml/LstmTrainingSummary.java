package io.sparklstm.ml;

import io.sparklstm.jobs.evaluate.Metrics;
import io.sparklstm.jobs.train.EpochRecord;
import io.sparklstm.jobs.train.RunDirectory;
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

    // the lines of metrics.jsonl, read into EpochRecords on demand: records with Optionals are not Serializable
    private final List<String> epochLines;
    // JSON objects rather than Metrics, which is not Serializable (Optionals) nor read back from JSON
    private final Map<String, Map<String, Object>> finalMetrics;

    LstmTrainingSummary(List<String> epochLines, Map<String, Map<String, Object>> finalMetrics) {
        this.epochLines = List.copyOf(epochLines);
        this.finalMetrics = Collections.unmodifiableMap(finalMetrics);
    }

    /** The summary of the training run in {@code runDir}, whose final metrics are {@code summary}. */
    static LstmTrainingSummary read(String runDir, Configuration conf, Map<String, Metrics> summary) {
        Path metrics = new Path(runDir, RunDirectory.METRICS);
        List<String> epochs = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(metrics.getFileSystem(conf).open(metrics),
                StandardCharsets.UTF_8))) {
            String line;
            for (int n = 1; (line = in.readLine()) != null; n++) {
                if (line.isBlank()) continue;
                try {
                    EpochRecord.fromJsonLine(line); // a line that is no epoch's record fails here, not on access
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException(metrics + " line " + n + ": " + e.getMessage(), e);
                }
                epochs.add(line);
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
        return epochLines.size();
    }

    /** Each epoch's record, as in a training run's {@code metrics.jsonl}. */
    public List<EpochRecord> epochs() {
        return epochLines.stream().map(EpochRecord::fromJsonLine).toList();
    }

    /** The mean training loss of each epoch, first to last (Spark's {@code objectiveHistory}). */
    public double[] objectiveHistory() {
        return epochs().stream().mapToDouble(EpochRecord::trainLoss).toArray();
    }

    /**
     * A validation metric per epoch ({@code loss}, {@code accuracy}, {@code f1}); empty without a validation split
     * ({@code validationFraction} 0).
     */
    public double[] validationHistory(String metric) {
        List<Double> out = new ArrayList<>();
        for (EpochRecord e : epochs()) {
            if (e.validation().map(v -> v.get(metric)).orElse(null) instanceof Number n) out.add(n.doubleValue());
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The chosen parameters' metrics on each split the fit had ({@code train}, {@code validation}). */
    public Map<String, Map<String, Object>> finalMetrics() {
        return finalMetrics;
    }
}
