package io.sparklstm.jobs.train;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.sparklstm.model.Json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of {@code metrics.jsonl}: an epoch's training figures, and once it completed, its validation metrics,
 * wall time and whether it was the best so far. An epoch that diverged or missed examples is written without
 * these, as the run's last line. Also kept in every checkpoint's training state, so a resumed run writes the
 * lines of its completed epochs again as they were.
 *
 * <p>The JSON is the one {@code metrics.jsonl} has always had: keys in this order, absent parts left out (not
 * null), numbers as Jackson writes them. The project's mapper has no module for {@code Optional}, so the JSON
 * goes through the {@code json*} accessors and the creator below, and the {@code Optional}s stay in Java.
 *
 * @param timing      seconds per phase from dl4j-spark's statistics, when training.collectTrainingStats; a map
 *                    keyed by phase name, as {@link TrainingTimes} names them
 * @param validation  the validation split's metrics (empty map without a validation split), once completed; a
 *                    JSON object, not {@code Metrics}: a resumed run writes again, byte for byte, what checkpoints
 *                    of older builds hold (partial metrics such as {@code {"loss":0.4}}, or {@code {}}), which
 *                    {@code Metrics} cannot hold, and {@code Metrics} is not read from JSON
 * @param sparkTasks  Spark task counts of the epoch (absent in checkpoints of builds before they were counted),
 *                    keyed by counter name as {@code TaskCounter} names them
 * @param averagingRounds with training.averagingSeconds, each averaging round of the epoch in order: the
 *                    minibatches per worker it was sized to and the examples fitted in it (absent with a fixed
 *                    averagingFrequency, whose rounds are all that size but the last)
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.NONE, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE, creatorVisibility = JsonAutoDetect.Visibility.NONE)
@JsonPropertyOrder({"epoch", "trainLoss", "trainExamples", "samplesPerSecond", "fitSeconds", "learningRate", "timing",
        "averagingRounds", "validation", "epochSeconds", "sparkTasks", "best"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EpochRecord(int epoch, double trainLoss, long trainExamples, double samplesPerSecond,
                          double fitSeconds, double learningRate, Optional<Map<String, Double>> timing,
                          Optional<Map<String, Object>> validation, Optional<Double> epochSeconds,
                          Optional<Map<String, Long>> sparkTasks, Optional<Boolean> best,
                          Optional<List<AveragingRound>> averagingRounds) {

    /**
     * One averaging round of an epoch whose period is set in time.
     *
     * @param minibatchesPerWorker the most minibatches a worker fitted in it: the size chosen for the round
     * @param examples             the examples the workers fitted in it, together
     */
    @JsonPropertyOrder({"minibatchesPerWorker", "examples"})
    public record AveragingRound(int minibatchesPerWorker, long examples) {
        public AveragingRound {
            if (minibatchesPerWorker < 1 || examples < 0) {
                throw new IllegalArgumentException("a round of " + minibatchesPerWorker + " minibatches per worker, "
                        + examples + " examples");
            }
        }
    }

    public EpochRecord {
        Objects.requireNonNull(averagingRounds, "averagingRounds");
        averagingRounds = averagingRounds.map(List::copyOf);
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(epochSeconds, "epochSeconds");
        Objects.requireNonNull(sparkTasks, "sparkTasks");
        Objects.requireNonNull(best, "best");
        if (validation.isPresent() != epochSeconds.isPresent()) {
            throw new IllegalArgumentException("epoch " + epoch + ": validation and epochSeconds come together");
        }
    }

    /** An epoch as fitted, before validation: how a failed epoch is written. */
    static EpochRecord fitted(int epoch, double trainLoss, long trainExamples, double samplesPerSecond,
                              double fitSeconds, double learningRate, Optional<Map<String, Double>> timing) {
        return new EpochRecord(epoch, trainLoss, trainExamples, samplesPerSecond, fitSeconds, learningRate, timing,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** This epoch with the averaging rounds it fitted, sized by training.averagingSeconds. */
    EpochRecord withAveragingRounds(List<AveragingRound> rounds) {
        return new EpochRecord(epoch, trainLoss, trainExamples, samplesPerSecond, fitSeconds, learningRate, timing,
                validation, epochSeconds, sparkTasks, best, Optional.of(rounds));
    }

    /** This epoch with the Spark tasks it ran, as written when it failed. */
    EpochRecord withSparkTasks(Map<String, Long> tasks) {
        return new EpochRecord(epoch, trainLoss, trainExamples, samplesPerSecond, fitSeconds, learningRate, timing,
                validation, epochSeconds, Optional.of(tasks), best, averagingRounds);
    }

    /** This epoch completed: validated, timed, with its Spark tasks; whether it is the best is decided after. */
    EpochRecord completed(Map<String, Object> validationMetrics, double seconds, Map<String, Long> tasks) {
        return new EpochRecord(epoch, trainLoss, trainExamples, samplesPerSecond, fitSeconds, learningRate, timing,
                Optional.of(validationMetrics), Optional.of(seconds), Optional.of(tasks), best, averagingRounds);
    }

    EpochRecord withBest(boolean improved) {
        return new EpochRecord(epoch, trainLoss, trainExamples, samplesPerSecond, fitSeconds, learningRate, timing,
                validation, epochSeconds, sparkTasks, Optional.of(improved), averagingRounds);
    }

    /** One line of {@code metrics.jsonl}, without the line break. */
    String toJsonLine() {
        try {
            return Json.compact().writeValueAsString(this);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the record of epoch " + epoch + ": " + e.getMessage(), e);
        }
    }

    /** A line of {@code metrics.jsonl} read back, as the Spark ML summary reads a fit's epochs. */
    public static EpochRecord fromJsonLine(String line) {
        try {
            return Json.mapper().readValue(line, EpochRecord.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not an epoch's record: " + e.getOriginalMessage(), e);
        }
    }

    /** A record read back from a checkpoint's training state (JSON parsed into maps). */
    static EpochRecord fromJsonValue(Object parsed) {
        return Json.mapper().convertValue(parsed, EpochRecord.class);
    }

    /** The records as the JSON objects the report reads. */
    static List<Map<String, Object>> asJsonObjects(List<EpochRecord> records) {
        return records.stream().map(r -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = Json.mapper().convertValue(r, LinkedHashMap.class);
            return m;
        }).toList();
    }

    @JsonCreator
    static EpochRecord fromJson(@JsonProperty("epoch") int epoch, @JsonProperty("trainLoss") double trainLoss,
                                @JsonProperty("trainExamples") long trainExamples,
                                @JsonProperty("samplesPerSecond") double samplesPerSecond,
                                @JsonProperty("fitSeconds") double fitSeconds,
                                @JsonProperty("learningRate") double learningRate,
                                @JsonProperty("timing") Map<String, Double> timing,
                                @JsonProperty("validation") Map<String, Object> validation,
                                @JsonProperty("epochSeconds") Double epochSeconds,
                                @JsonProperty("sparkTasks") Map<String, Long> sparkTasks,
                                @JsonProperty("best") Boolean best,
                                @JsonProperty("averagingRounds") List<AveragingRound> averagingRounds) {
        return new EpochRecord(epoch, trainLoss, trainExamples, samplesPerSecond, fitSeconds, learningRate,
                Optional.ofNullable(timing), Optional.ofNullable(validation), Optional.ofNullable(epochSeconds),
                Optional.ofNullable(sparkTasks), Optional.ofNullable(best), Optional.ofNullable(averagingRounds));
    }

    @JsonProperty("epoch")
    private int jsonEpoch() {
        return epoch;
    }

    @JsonProperty("trainLoss")
    private double jsonTrainLoss() {
        return trainLoss;
    }

    @JsonProperty("trainExamples")
    private long jsonTrainExamples() {
        return trainExamples;
    }

    @JsonProperty("samplesPerSecond")
    private double jsonSamplesPerSecond() {
        return samplesPerSecond;
    }

    @JsonProperty("fitSeconds")
    private double jsonFitSeconds() {
        return fitSeconds;
    }

    @JsonProperty("learningRate")
    private double jsonLearningRate() {
        return learningRate;
    }

    @JsonProperty("timing")
    private Map<String, Double> jsonTiming() {
        return timing.orElse(null);
    }

    @JsonProperty("averagingRounds")
    private List<AveragingRound> jsonAveragingRounds() {
        return averagingRounds.orElse(null);
    }

    @JsonProperty("validation")
    private Map<String, Object> jsonValidation() {
        return validation.orElse(null);
    }

    @JsonProperty("epochSeconds")
    private Double jsonEpochSeconds() {
        return epochSeconds.orElse(null);
    }

    @JsonProperty("sparkTasks")
    private Map<String, Long> jsonSparkTasks() {
        return sparkTasks.orElse(null);
    }

    @JsonProperty("best")
    private Boolean jsonBest() {
        return best.orElse(null);
    }
}
