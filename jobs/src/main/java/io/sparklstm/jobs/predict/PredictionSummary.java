package io.sparklstm.jobs.predict;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The summary {@code predict} writes last ({@code _summary.json}): where the model and the input came from, what
 * was scored (the counts of a forecasting or of a classifying model, inline), and where the predictions are. The
 * JSON is the one the file has always had; the project's mapper has no module for {@code Optional}, so the JSON goes
 * through the {@code json*} accessors.
 *
 * @param outputs the final path of the predictions by format name ({@code parquet}, {@code csv}): the formats asked
 *                for, so a map
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.NONE, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
@JsonPropertyOrder({"createdAt", "model", "modelDataFingerprint", "input", "inputFingerprint", "task", "forecastCounts",
        "classCounts", "outputs"})
public record PredictionSummary(String createdAt, String model, String modelDataFingerprint, String input,
                                String inputFingerprint, String task, Optional<ForecastCounts> forecasts,
                                Optional<ClassCounts> classes, Map<String, String> outputs) {

    public PredictionSummary {
        Objects.requireNonNull(forecasts, "forecasts");
        Objects.requireNonNull(classes, "classes");
        outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    }

    /** What a forecasting model scored. */
    @JsonPropertyOrder({"targets", "horizonSteps", "windowSteps", "origins", "rowsRead", "series", "windowsScored",
            "predictionRows", "windowsDroppedMissing"})
    public record ForecastCounts(List<String> targets, int horizonSteps, int windowSteps, String origins,
                                 long rowsRead, long series, long windowsScored, long predictionRows,
                                 long windowsDroppedMissing) {

        public ForecastCounts {
            targets = List.copyOf(targets);
        }
    }

    /** What a sequence classifier scored; the accuracy on the cases with a label, when any has one. */
    @JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.NONE,
            getterVisibility = JsonAutoDetect.Visibility.NONE, isGetterVisibility = JsonAutoDetect.Visibility.NONE)
    @JsonPropertyOrder({"classes", "casesScored", "labelledCases", "accuracy"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClassCounts(List<String> classes, long casesScored, long labelledCases, Optional<Double> accuracy) {

        public ClassCounts {
            classes = List.copyOf(classes);
            Objects.requireNonNull(accuracy, "accuracy");
        }

        @JsonProperty("classes")
        private List<String> jsonClasses() {
            return classes;
        }

        @JsonProperty("casesScored")
        private long jsonCasesScored() {
            return casesScored;
        }

        @JsonProperty("labelledCases")
        private long jsonLabelledCases() {
            return labelledCases;
        }

        @JsonProperty("accuracy")
        private Double jsonAccuracy() {
            return accuracy.orElse(null);
        }
    }

    @JsonProperty("createdAt")
    private String jsonCreatedAt() {
        return createdAt;
    }

    @JsonProperty("model")
    private String jsonModel() {
        return model;
    }

    @JsonProperty("modelDataFingerprint")
    private String jsonModelDataFingerprint() {
        return modelDataFingerprint;
    }

    @JsonProperty("input")
    private String jsonInput() {
        return input;
    }

    @JsonProperty("inputFingerprint")
    private String jsonInputFingerprint() {
        return inputFingerprint;
    }

    @JsonProperty("task")
    private String jsonTask() {
        return task;
    }

    @JsonProperty("forecastCounts")
    @JsonUnwrapped
    private ForecastCounts jsonForecasts() {
        return forecasts.orElse(null);
    }

    @JsonProperty("classCounts")
    @JsonUnwrapped
    private ClassCounts jsonClasses() {
        return classes.orElse(null);
    }

    @JsonProperty("outputs")
    private Map<String, String> jsonOutputs() {
        return outputs;
    }
}
