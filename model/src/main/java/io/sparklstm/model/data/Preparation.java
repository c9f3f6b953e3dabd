package io.sparklstm.model.data;

import io.sparklstm.model.Task;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the training data was prepared, kept in the model bundle: the same columns, window and normalizer
 * must be applied to any data the model scores.
 *
 * @param categories      vocabulary of each one-hot encoded column, in channel order: new data must be
 *                        encoded with exactly these channels
 * @param dataFingerprint fingerprint of the raw input the model was trained on
 */
public record Preparation(
        String kind,
        Task task,
        List<String> featureNames,
        List<String> targetNames,
        List<String> classNames,
        int windowSteps,
        int horizonSteps,
        Standardizer normalizer,
        Map<String, List<String>> categories,
        String dataFingerprint,
        Map<String, Object> settings) {

    /** A preparation without categorical columns. */
    public Preparation(String kind, Task task, List<String> featureNames, List<String> targetNames,
                       List<String> classNames, int windowSteps, int horizonSteps, Standardizer normalizer,
                       String dataFingerprint, Map<String, Object> settings) {
        this(kind, task, featureNames, targetNames, classNames, windowSteps, horizonSteps, normalizer, Map.of(),
                dataFingerprint, settings);
    }

    public Preparation {
        categories = orderedCategories(categories);
        featureNames = List.copyOf(featureNames);
        targetNames = List.copyOf(targetNames);
        classNames = List.copyOf(classNames);
        settings = settings == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(settings));
    }

    /** An immutable copy in channel order; none (absent in older files) is empty. */
    static Map<String, List<String>> orderedCategories(Map<String, List<String>> categories) {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        if (categories != null) categories.forEach((column, values) -> out.put(column, List.copyOf(values)));
        return Collections.unmodifiableMap(out);
    }

    public int outputSize() {
        return task.isClassification() ? classNames.size() : horizonSteps * targetNames.size();
    }
}
