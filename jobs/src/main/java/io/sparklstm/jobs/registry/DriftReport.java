package io.sparklstm.jobs.registry;

import io.sparklstm.model.data.Standardizer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether new data still looks like the data a model was trained on: for each feature, how far the new mean
 * moved, in standard deviations of the training data, and the ratio of the new standard deviation to the
 * training one. A shift above {@code maxMeanShift} fails the check (and can refuse a promotion).
 */
public final class DriftReport {

    private final List<Map<String, Object>> features;
    private final double maxMeanShift;
    private final double worstShift;
    private final String worstFeature;

    private DriftReport(List<Map<String, Object>> features, double maxMeanShift, double worstShift,
                        String worstFeature) {
        this.features = features;
        this.maxMeanShift = maxMeanShift;
        this.worstShift = worstShift;
        this.worstFeature = worstFeature;
    }

    /**
     * Compares the training statistics stored with a model to those of the new data; {@code current} must
     * name the same columns (the schema check happens before this).
     */
    public static DriftReport compare(Standardizer training, Standardizer current, double maxMeanShift) {
        if (!training.columns().equals(current.columns())) {
            throw new RegistryException("the new data's columns " + current.columns() + " differ from the model's "
                    + training.columns());
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        double worst = 0;
        String worstName = "";
        for (int i = 0; i < training.columns().size(); i++) {
            double std = training.std()[i];
            double shift = Math.abs(current.mean()[i] - training.mean()[i]) / (std > 0 ? std : 1);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("feature", training.columns().get(i));
            row.put("trainingMean", training.mean()[i]);
            row.put("newMean", current.mean()[i]);
            row.put("meanShiftInStd", shift);
            row.put("stdRatio", std > 0 ? current.std()[i] / std : Double.NaN);
            rows.add(row);
            if (shift > worst) {
                worst = shift;
                worstName = training.columns().get(i);
            }
        }
        return new DriftReport(rows, maxMeanShift, worst, worstName);
    }

    public boolean withinLimit() {
        return maxMeanShift <= 0 || worstShift <= maxMeanShift;
    }

    public String summary() {
        return String.format(Locale.ROOT, "largest mean shift %.3f standard deviations (%s)%s", worstShift, worstFeature,
                maxMeanShift <= 0 ? "" : withinLimit() ? ", within the limit " + maxMeanShift
                        : ", above the limit " + maxMeanShift);
    }

    /** As history and reports record it. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("withinLimit", withinLimit());
        m.put("maxMeanShift", maxMeanShift);
        m.put("largestMeanShiftInStd", worstShift);
        m.put("largestShiftFeature", worstFeature);
        m.put("features", features);
        return m;
    }
}
