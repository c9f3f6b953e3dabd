package io.sparklstm.jobs.evaluate;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A forecast against the naive forecasts of the same windows: each one's errors, the model's skill over each
 * (1 - model MSE / baseline MSE), and the baseline with the lowest MSE, none when no MSE is a number (written as
 * {@code null}, as it always was).
 *
 * @param baselines by baseline name ({@code last}, {@code seasonal}, ...): the names are the forecasts asked for,
 *                  so maps
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.NONE, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
@JsonPropertyOrder({"baselines", "skill", "bestBaseline"})
@JsonInclude(JsonInclude.Include.ALWAYS)
public record BaselineComparison(Map<String, ForecastErrors> baselines, Map<String, Double> skill,
                                 Optional<String> bestBaseline) {

    public BaselineComparison {
        baselines = Collections.unmodifiableMap(new LinkedHashMap<>(baselines));
        skill = Collections.unmodifiableMap(new LinkedHashMap<>(skill));
        java.util.Objects.requireNonNull(bestBaseline, "bestBaseline");
    }

    /** The best baseline's errors and the model's skill over it, when there is a best. */
    public Optional<Best> best() {
        return bestBaseline.map(name -> new Best(name, baselines.get(name), skill.get(name)));
    }

    /** The naive forecast with the lowest MSE, its errors and the model's skill over it. */
    public record Best(String name, ForecastErrors errors, double skill) {
    }

    @JsonProperty("baselines")
    private Map<String, ForecastErrors> jsonBaselines() {
        return baselines;
    }

    @JsonProperty("skill")
    private Map<String, Double> jsonSkill() {
        return skill;
    }

    @JsonProperty("bestBaseline")
    private String jsonBestBaseline() {
        return bestBaseline.orElse(null);
    }
}
