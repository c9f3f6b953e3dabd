package io.sparklstm.jobs.evaluate;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Objects;
import java.util.Optional;

/**
 * One target's forecast errors over the horizon; its MASE when the training split's naive error scaled it. The
 * project's mapper has no module for {@code Optional}, so the JSON goes through the {@code json*} accessors.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.NONE, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
@JsonPropertyOrder({"mse", "mae", "rmse_original", "mae_original", "mase"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TargetErrors(double mse, double mae, double rmseOriginal, double maeOriginal, Optional<Double> mase) {

    public TargetErrors {
        Objects.requireNonNull(mase, "mase");
    }

    TargetErrors withMase(double scaled) {
        return new TargetErrors(mse, mae, rmseOriginal, maeOriginal, Optional.of(scaled));
    }

    @JsonProperty("mse")
    private double jsonMse() {
        return mse;
    }

    @JsonProperty("mae")
    private double jsonMae() {
        return mae;
    }

    @JsonProperty("rmse_original")
    private double jsonRmseOriginal() {
        return rmseOriginal;
    }

    @JsonProperty("mae_original")
    private double jsonMaeOriginal() {
        return maeOriginal;
    }

    @JsonProperty("mase")
    private Double jsonMase() {
        return mase.orElse(null);
    }
}
