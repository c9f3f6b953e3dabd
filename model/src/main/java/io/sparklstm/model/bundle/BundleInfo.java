package io.sparklstm.model.bundle;

import io.sparklstm.model.ModelSpec;
import io.sparklstm.model.data.Preparation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code bundle.json}: everything about a trained network except its weights.
 *
 * @param formatVersion version of the bundle layout
 * @param spec          the model spec it was built from
 * @param preparation   how its input must be prepared
 * @param metrics       split name to that split's final metrics
 * @param training      training settings and outcome (epochs run, best epoch, master, workers, ...)
 * @param provenance    platform and library versions
 */
public record BundleInfo(int formatVersion, ModelSpec spec, Preparation preparation,
                         Map<String, Map<String, Object>> metrics, Map<String, Object> training,
                         Provenance provenance) {

    /** The format of a bundle of one network. */
    public static final int FORMAT_VERSION = 1;
    /**
     * The format of an ensemble's bundle (more network files beside {@code network.zip}): versions that read up to
     * format 1 refuse it rather than use member 0 alone.
     */
    public static final int ENSEMBLE_FORMAT_VERSION = 2;
    /** The newest format this version reads. */
    public static final int READABLE_FORMAT_VERSION = ENSEMBLE_FORMAT_VERSION;

    /** The format a bundle of {@code members} networks is written in. */
    public static int formatFor(int members) {
        return members > 1 ? ENSEMBLE_FORMAT_VERSION : FORMAT_VERSION;
    }

    public BundleInfo {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        training = Collections.unmodifiableMap(new TreeMap<>(training));
    }

    public BundleInfo withMetrics(Map<String, Map<String, Object>> newMetrics) {
        return new BundleInfo(formatVersion, spec, preparation, newMetrics, training, provenance);
    }
}
