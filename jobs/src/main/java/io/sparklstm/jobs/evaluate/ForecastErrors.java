package io.sparklstm.jobs.evaluate;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;
import java.util.Map;

/**
 * A forecast's errors on a split: on the standardized scale the model trains on, and, with the suffix
 * {@code _original}, in the data's own units (each target's error scaled by its training standard deviation).
 * The model's and each naive forecast's errors have this shape.
 *
 * @param perTarget by target name, in the preparation's order: the names are the data's columns, so a map
 */
@JsonPropertyOrder({"mse", "mae", "rmse", "mse_original", "mae_original", "rmse_original", "perHorizonStep",
        "perTarget"})
public record ForecastErrors(double mse, double mae, double rmse,
                             @JsonProperty("mse_original") double mseOriginal,
                             @JsonProperty("mae_original") double maeOriginal,
                             @JsonProperty("rmse_original") double rmseOriginal,
                             HorizonErrors perHorizonStep, Map<String, TargetErrors> perTarget) {

    public ForecastErrors {
        perTarget = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(perTarget));
    }

    /** The errors of each step ahead, averaged over the targets. */
    @JsonPropertyOrder({"mse", "mae", "rmse"})
    public record HorizonErrors(List<Double> mse, List<Double> mae, List<Double> rmse) {

        public HorizonErrors {
            mse = List.copyOf(mse);
            mae = List.copyOf(mae);
            rmse = List.copyOf(rmse);
        }
    }

    /** This forecast with each target's MASE, given the scale of each target in the preparation's order. */
    ForecastErrors withMase(List<Double> masePerTarget) {
        Map<String, TargetErrors> scaled = new java.util.LinkedHashMap<>();
        int j = 0;
        for (Map.Entry<String, TargetErrors> e : perTarget.entrySet()) {
            TargetErrors t = e.getValue();
            scaled.put(e.getKey(), j < masePerTarget.size() ? t.withMase(masePerTarget.get(j)) : t);
            j++;
        }
        return new ForecastErrors(mse, mae, rmse, mseOriginal, maeOriginal, rmseOriginal, perHorizonStep, scaled);
    }
}
