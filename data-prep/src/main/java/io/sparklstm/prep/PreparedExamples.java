package io.sparklstm.prep;

import io.sparklstm.model.Task;
import io.sparklstm.model.data.Standardizer;
import io.sparklstm.prep.export.Example;
import org.apache.spark.api.java.JavaRDD;

import java.util.List;
import java.util.Map;

/**
 * What a dataset kind hands to the exporter: the examples of all splits (not yet materialized) and what the
 * manifest must say about them.
 *
 * @param splitRows   rows (or sequences) per split index, and their first and last timestamps where known
 * @param counts      counters for the manifest
 */
public record PreparedExamples(JavaRDD<Example> examples, Task task, List<String> featureNames,
                               List<String> targetNames, List<String> classNames, int windowSteps,
                               int horizonSteps, Standardizer normalizer, Map<Integer, SplitRows> splitRows,
                               Map<String, Long> counts) {

    /** Input rows of one split. */
    public record SplitRows(long rows, String firstTime, String lastTime) implements java.io.Serializable {
    }

    public int outputSize() {
        return task.isClassification() ? classNames.size() : horizonSteps * targetNames.size();
    }
}
