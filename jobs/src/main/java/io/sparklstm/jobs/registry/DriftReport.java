package io.sparklstm.jobs.registry;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.sparklstm.model.Json;
import io.sparklstm.model.data.Standardizer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether new data still looks like the data a model was trained on: for each feature, how far the new mean
 * moved, in standard deviations of the training data, and the ratio of the new standard deviation to the
 * training one. A shift above {@code maxMeanShift} fails the check (and can refuse a promotion); a limit of 0
 * only reports. Serialized as history and reports have always recorded it.
 *
 * @param largestMeanShiftInStd the largest shift of any feature (0 when none moved)
 * @param largestShiftFeature   the feature that moved most, empty when none moved
 */
@JsonPropertyOrder({"withinLimit", "maxMeanShift", "largestMeanShiftInStd", "largestShiftFeature", "features"})
public record DriftReport(double maxMeanShift, double largestMeanShiftInStd, String largestShiftFeature,
                          List<FeatureDrift> features) {

    public DriftReport {
        features = List.copyOf(features);
    }

    /** One feature's drift: its means, the shift in training standard deviations, and the ratio of the deviations. */
    @JsonPropertyOrder({"feature", "trainingMean", "newMean", "meanShiftInStd", "stdRatio"})
    public record FeatureDrift(String feature, double trainingMean, double newMean, double meanShiftInStd,
                               double stdRatio) {
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
        List<FeatureDrift> rows = new ArrayList<>();
        double worst = 0;
        String worstName = "";
        for (int i = 0; i < training.columns().size(); i++) {
            double std = training.std()[i];
            double shift = Math.abs(current.mean()[i] - training.mean()[i]) / (std > 0 ? std : 1);
            rows.add(new FeatureDrift(training.columns().get(i), training.mean()[i], current.mean()[i], shift,
                    std > 0 ? current.std()[i] / std : Double.NaN));
            if (shift > worst) {
                worst = shift;
                worstName = training.columns().get(i);
            }
        }
        return new DriftReport(maxMeanShift, worst, worstName, rows);
    }

    @JsonProperty("withinLimit")
    public boolean withinLimit() {
        return maxMeanShift <= 0 || largestMeanShiftInStd <= maxMeanShift;
    }

    @JsonIgnore
    public String summary() {
        return String.format(Locale.ROOT, "largest mean shift %.3f standard deviations (%s)%s", largestMeanShiftInStd,
                largestShiftFeature, maxMeanShift <= 0 ? "" : withinLimit() ? ", within the limit " + maxMeanShift
                        : ", above the limit " + maxMeanShift);
    }

    /** The report as the JSON object a registry round holds (rounds keep what they read back from history files). */
    public Map<String, Object> asJsonObject() {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = Json.mapper().convertValue(this, LinkedHashMap.class);
        return m;
    }
}
