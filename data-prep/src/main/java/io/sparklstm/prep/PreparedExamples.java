package io.sparklstm.prep;

import io.sparklstm.model.Task;
import io.sparklstm.model.data.Standardizer;
import io.sparklstm.prep.export.Example;
import org.apache.spark.api.java.JavaRDD;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a dataset kind hands to the exporter: the examples of all splits (not yet materialized) and what the
 * manifest must say about them.
 *
 * @param splitRows      rows (or sequences) per split index, and their first and last timestamps where known
 * @param counts         counters for the manifest
 * @param categories     vocabulary of each one-hot encoded column, learned on the training split
 * @param deferredCounts counters known only once the examples have been written (filled values, dropped
 *                       windows), counted by the tasks that compute the examples, per partition, so that a
 *                       partition computed twice counts once ({@link PartitionCounts})
 * @param rejected       quarantined records as JSON lines, when bad records are quarantined
 * @param persisted      intermediate data the kind cached, to release once the examples are written
 * @param observedNormalizer when a stored preparation was reused: the statistics of this data's own training
 *                       split, which the reused normalizer did not use (for drift checks)
 * @param resolved       settings the data decided, by dotted key (e.g. {@code timeseries.frequency = auto} found
 *                       {@code 1h}): the manifest records these values, so that scoring prepares new data the same
 *                       way
 */
public record PreparedExamples(JavaRDD<Example> examples, Task task, List<String> featureNames,
                               List<String> targetNames, List<String> classNames, int windowSteps,
                               int horizonSteps, Standardizer normalizer, Map<Integer, SplitRows> splitRows,
                               Map<String, Long> counts, Map<String, List<String>> categories,
                               Supplier<Map<String, Long>> deferredCounts, Optional<JavaRDD<String>> rejected,
                               List<JavaRDD<?>> persisted, Optional<Standardizer> observedNormalizer,
                               Map<String, String> resolved) {

    /** Examples without categorical encoders, deferred counters or quarantined records. */
    public PreparedExamples(JavaRDD<Example> examples, Task task, List<String> featureNames, List<String> targetNames,
                            List<String> classNames, int windowSteps, int horizonSteps, Standardizer normalizer,
                            Map<Integer, SplitRows> splitRows, Map<String, Long> counts) {
        this(examples, task, featureNames, targetNames, classNames, windowSteps, horizonSteps, normalizer, splitRows,
                counts, Map.of(), Map::of, Optional.empty(), List.of(), Optional.empty(), Map.of());
    }

    /** Drops the cached intermediate data; the examples must have been written. */
    public void release() {
        persisted.forEach(rdd -> rdd.unpersist(false));
    }

    /** Input rows of one split. */
    public record SplitRows(long rows, String firstTime, String lastTime) implements java.io.Serializable {
    }

    public int outputSize() {
        return task.isClassification() ? classNames.size() : horizonSteps * targetNames.size();
    }
}
