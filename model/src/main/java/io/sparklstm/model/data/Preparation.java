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
        String dataFingerprint,
        Map<String, Object> settings) {

    public Preparation {
        featureNames = List.copyOf(featureNames);
        targetNames = List.copyOf(targetNames);
        classNames = List.copyOf(classNames);
        settings = settings == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(settings));
    }

    public int outputSize() {
        return task.isClassification() ? classNames.size() : horizonSteps * targetNames.size();
    }
}
