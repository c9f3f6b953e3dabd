package io.sparklstm.model.data;

import io.sparklstm.model.Task;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The description of a prepared dataset: {@code manifest.json}, written last, so that its presence marks
 * a complete dataset. It holds nothing that changes from run to run (no creation time: that is in
 * {@code prepare-info.json}), so the same input and settings give the same bytes. Training reads shapes, splits and files from it; the model bundle keeps its
 * preparation part (normalizer, columns, window) for scoring new data the same way.
 *
 * @param formatVersion  version of this layout
 * @param kind           dataset kind that produced it (e.g. {@code timeseries}, {@code sequences})
 * @param task           what the labels are
 * @param featureNames   input channel names, in feature order
 * @param targetNames    forecast target names (forecasting), empty otherwise
 * @param classNames     class names in label-index order (classification), empty otherwise
 * @param windowSteps    time steps of each input sequence (the longest, for variable lengths)
 * @param horizonSteps   forecast horizon in steps (forecasting), 0 otherwise
 * @param minibatchSize  examples per minibatch file (the last file of a split may hold fewer)
 * @param normalizer     fitted on the training split; applied to every split
 * @param categories     vocabulary of each one-hot encoded (categorical) column, learned on the training
 *                       split, in channel order; the feature names hold one {@code column=value} channel each
 * @param splits         split name ({@code train}, {@code validation}, {@code test}) to its files
 * @param source         input location, and a fingerprint of the input files (paths, sizes, times)
 * @param counts         named counters (rows read, rows rejected, missing and filled values, windows dropped)
 * @param settings       the resolved preparation settings, for the record
 */
public record DatasetManifest(
        int formatVersion,
        String kind,
        Task task,
        List<String> featureNames,
        List<String> targetNames,
        List<String> classNames,
        int windowSteps,
        int horizonSteps,
        int minibatchSize,
        Standardizer normalizer,
        Map<String, List<String>> categories,
        Map<String, SplitInfo> splits,
        Map<String, String> source,
        Map<String, Long> counts,
        Map<String, Object> settings) {

    public static final int FORMAT_VERSION = 1;
    public static final String FILE_NAME = "manifest.json";

    public DatasetManifest {
        featureNames = List.copyOf(featureNames);
        targetNames = List.copyOf(targetNames);
        classNames = List.copyOf(classNames);
        categories = Preparation.orderedCategories(categories);
        // Ordered copies: the manifest must be byte-identical for the same input and settings.
        splits = Collections.unmodifiableMap(new LinkedHashMap<>(splits));
        source = Collections.unmodifiableMap(new TreeMap<>(source));
        counts = Collections.unmodifiableMap(new TreeMap<>(counts));
        settings = settings == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(settings));
    }

    /** Size of the network's output: classes, or horizon steps times targets. */
    public int outputSize() {
        return task.isClassification() ? classNames.size() : horizonSteps * targetNames.size();
    }

    /** What scoring new data needs to prepare it exactly as the training data was prepared. */
    public Preparation preparation() {
        return new Preparation(kind, task, featureNames, targetNames, classNames, windowSteps, horizonSteps,
                normalizer, categories, source.getOrDefault("fingerprint", ""), settings);
    }

    public SplitInfo split(String name) {
        SplitInfo info = splits.get(name);
        if (info == null) {
            throw new IllegalArgumentException("the prepared dataset has no split '" + name + "'; it has "
                    + splits.keySet());
        }
        return info;
    }
}
