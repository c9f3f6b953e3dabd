package io.sparklstm.jobs.train;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.sparklstm.model.Json;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code training} part of {@code summary.json} and of a model bundle's info: how the run went. The keys are
 * in alphabetical order, as they have always been written; absent parts are left out. The project's mapper has no
 * module for {@code Optional}, so the JSON goes through the {@code json*} accessors.
 *
 * @param averagedEpochs    the epochs whose parameters the model's are the mean of (training.averageLastEpochs; 1:
 *                          one epoch's own)
 * @param members           each network of an ensemble scored alone (model.ensembleMembers above 1; absent for one
 *                          network): the summary's split metrics are those of their mean. The rest of this summary
 *                          is member 0's training
 * @param resumedAfterEpoch the epochs done before this process started (0 for a fresh run)
 * @param selectedEpoch     the epoch whose parameters the model has: the best with training.keepBest, else the last
 * @param shrinkToNaive     each target's factor toward the naive forecast, by target name (the data's columns, so a
 *                          map), with training.shrinkToNaive
 * @param sparkTasks        Spark's task counts of the run, by counter ({@code TaskCounter}'s names)
 * @param timing            seconds per phase from dl4j-spark's statistics (its phase names), with
 *                          training.collectTrainingStats
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.NONE, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
@JsonPropertyOrder({"averagedEpochs", "averagingFrequency", "bestEpoch", "data", "epochs", "master", "members", "resumedAfterEpoch", "seconds",
        "selectedEpoch", "selectionMetric", "shrinkToNaive", "sparkTasks", "stoppedEarly", "timing", "workers"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingSummary(int averagedEpochs, int averagingFrequency, int bestEpoch, String data, int epochs, String master,
                              int resumedAfterEpoch, double seconds, int selectedEpoch, String selectionMetric,
                              Optional<Map<String, Double>> shrinkToNaive, Map<String, Long> sparkTasks,
                              boolean stoppedEarly, Optional<Map<String, Double>> timing, int workers,
                              Optional<List<EnsembleMember>> members) {

    public TrainingSummary {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(master, "master");
        Objects.requireNonNull(selectionMetric, "selectionMetric");
        shrinkToNaive = shrinkToNaive.map(m -> Collections.unmodifiableMap(new LinkedHashMap<>(m)));
        sparkTasks = Collections.unmodifiableMap(new LinkedHashMap<>(sparkTasks));
        timing = timing.map(m -> Collections.unmodifiableMap(new LinkedHashMap<>(m)));
        members = members.map(List::copyOf);
    }

    /** The summary of one network's training. */
    public TrainingSummary(int averagedEpochs, int averagingFrequency, int bestEpoch, String data, int epochs,
                           String master, int resumedAfterEpoch, double seconds, int selectedEpoch,
                           String selectionMetric, Optional<Map<String, Double>> shrinkToNaive,
                           Map<String, Long> sparkTasks, boolean stoppedEarly, Optional<Map<String, Double>> timing,
                           int workers) {
        this(averagedEpochs, averagingFrequency, bestEpoch, data, epochs, master, resumedAfterEpoch, seconds,
                selectedEpoch, selectionMetric, shrinkToNaive, sparkTasks, stoppedEarly, timing, workers,
                Optional.empty());
    }

    /** This summary with the members of the ensemble it is member 0's training in. */
    public TrainingSummary withMembers(List<EnsembleMember> ensemble) {
        return new TrainingSummary(averagedEpochs, averagingFrequency, bestEpoch, data, epochs, master,
                resumedAfterEpoch, seconds, selectedEpoch, selectionMetric, shrinkToNaive, sparkTasks, stoppedEarly,
                timing, workers, Optional.of(ensemble));
    }

    /**
     * The summary as the JSON object a model bundle's info holds (the model module reads bundles back and knows
     * no {@code TrainingSummary}) and the report reads.
     */
    public Map<String, Object> asJsonObject() {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = Json.mapper().convertValue(this, LinkedHashMap.class);
        return m;
    }

    @JsonProperty("averagedEpochs")
    private int jsonAveragedEpochs() {
        return averagedEpochs;
    }

    @JsonProperty("averagingFrequency")
    private int jsonAveragingFrequency() {
        return averagingFrequency;
    }

    @JsonProperty("bestEpoch")
    private int jsonBestEpoch() {
        return bestEpoch;
    }

    @JsonProperty("data")
    private String jsonData() {
        return data;
    }

    @JsonProperty("epochs")
    private int jsonEpochs() {
        return epochs;
    }

    @JsonProperty("master")
    private String jsonMaster() {
        return master;
    }

    @JsonProperty("members")
    private List<EnsembleMember> jsonMembers() {
        return members.orElse(null);
    }

    @JsonProperty("resumedAfterEpoch")
    private int jsonResumedAfterEpoch() {
        return resumedAfterEpoch;
    }

    @JsonProperty("seconds")
    private double jsonSeconds() {
        return seconds;
    }

    @JsonProperty("selectedEpoch")
    private int jsonSelectedEpoch() {
        return selectedEpoch;
    }

    @JsonProperty("selectionMetric")
    private String jsonSelectionMetric() {
        return selectionMetric;
    }

    @JsonProperty("shrinkToNaive")
    private Map<String, Double> jsonShrinkToNaive() {
        return shrinkToNaive.orElse(null);
    }

    @JsonProperty("sparkTasks")
    private Map<String, Long> jsonSparkTasks() {
        return sparkTasks;
    }

    @JsonProperty("stoppedEarly")
    private boolean jsonStoppedEarly() {
        return stoppedEarly;
    }

    @JsonProperty("timing")
    private Map<String, Double> jsonTiming() {
        return timing.orElse(null);
    }

    @JsonProperty("workers")
    private int jsonWorkers() {
        return workers;
    }
}
