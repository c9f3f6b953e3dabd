package io.sparklstm.jobs.registry;

import io.sparklstm.jobs.evaluate.BaselineComparison;
import io.sparklstm.jobs.evaluate.ClassScores;
import io.sparklstm.jobs.evaluate.ForecastErrors;
import io.sparklstm.jobs.evaluate.Metrics;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PromotionRuleTest {

    private static ForecastErrors errors(double mse) {
        return new ForecastErrors(mse, 0, Math.sqrt(mse), mse, 0, Math.sqrt(mse),
                new ForecastErrors.HorizonErrors(List.of(mse), List.of(0.0), List.of(Math.sqrt(mse))), Map.of());
    }

    private static Metrics mse(double mse) {
        return new Metrics(10, 0.1, Optional.empty(), Optional.empty(), Optional.of(errors(mse)), Optional.empty(),
                Optional.empty());
    }

    private static Metrics accuracy(double accuracy) {
        return new Metrics(10, 0.1, Optional.empty(), Optional.of(new ClassScores(accuracy, accuracy, accuracy,
                accuracy, List.of("a"), List.of(List.of(10)))), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** A forecast of {@code mse} against naive forecasts with these MSEs, the first the best. */
    private static Metrics againstNaive(double mse, Map<String, Double> baselineMse) {
        Map<String, ForecastErrors> baselines = new LinkedHashMap<>();
        Map<String, Double> skill = new LinkedHashMap<>();
        baselineMse.forEach((name, b) -> {
            baselines.put(name, errors(b));
            skill.put(name, 1 - mse / b);
        });
        return new Metrics(10, 0.1, Optional.empty(), Optional.empty(), Optional.of(errors(mse)),
                Optional.of(new BaselineComparison(baselines, skill, Optional.of(baselineMse.keySet().iterator().next()))),
                Optional.empty());
    }

    @Test
    void anErrorMustFallByMoreThanTheMargin() {
        PromotionRule rule = new PromotionRule("mse", 0.02);
        assertTrue(rule.decide(Optional.of(mse(0.60)), mse(0.58)).promote(), "3.3% lower");
        PromotionRule.Decision close = rule.decide(Optional.of(mse(0.60)), mse(0.595));
        assertFalse(close.promote(), "0.8% lower is within the margin");
        assertTrue(close.reason().contains("not more than the required 2.00%"), close.reason());
        assertFalse(rule.decide(Optional.of(mse(0.60)), mse(0.70)).promote(), "worse");
    }

    @Test
    void accuracyMustRise() {
        PromotionRule rule = new PromotionRule("accuracy", 0.0);
        assertTrue(rule.decide(Optional.of(accuracy(0.90)), accuracy(0.91)).promote());
        assertFalse(rule.decide(Optional.of(accuracy(0.90)), accuracy(0.90)).promote(), "a tie keeps the champion");
    }

    @Test
    void theFirstVersionIsPromotedAndAMissingMetricIsAnError() {
        assertTrue(new PromotionRule("mse", 0.5).decide(Optional.empty(), mse(1.0)).promote());
        assertThrows(RegistryException.class, () -> new PromotionRule("mse", 0).decide(Optional.of(mse(1.0)),
                accuracy(1.0)));
        assertThrows(RegistryException.class, () -> new PromotionRule("mse", 0).decide(Optional.of(mse(1.0)),
                mse(Double.NaN)));
    }

    @Test
    void aForecasterThatLosesToTheBestNaiveForecastIsNotPromotedEvenWithoutAChampion() {
        Map<String, Double> naive = new LinkedHashMap<>();
        naive.put("seasonal", 0.428);
        naive.put("persistence", 0.9);
        Metrics losing = againstNaive(0.5, naive);
        PromotionRule.Decision d = new PromotionRule("mse", 0.0, true).decide(Optional.empty(), losing);
        assertFalse(d.promote());
        assertTrue(d.reason().startsWith("challenger loses to the seasonal naive forecast on the holdout (skill "
                + "-0.1682: MSE 0.500000 against 0.428000)"), d.reason());
        assertTrue(new PromotionRule("mse", 0.0, false).decide(Optional.empty(), losing).promote());
        Metrics winning = againstNaive(0.4, Map.of("seasonal", 0.43));
        assertTrue(new PromotionRule("mse", 0.0, true).decide(Optional.empty(), winning).promote());
    }
}
