package io.sparklstm.jobs.registry;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PromotionRuleTest {

    @Test
    void anErrorMustFallByMoreThanTheMargin() {
        PromotionRule rule = new PromotionRule("mse", 0.02);
        assertTrue(rule.decide(Map.of("mse", 0.60), Map.of("mse", 0.58)).promote(), "3.3% lower");
        PromotionRule.Decision close = rule.decide(Map.of("mse", 0.60), Map.of("mse", 0.595));
        assertFalse(close.promote(), "0.8% lower is within the margin");
        assertTrue(close.reason().contains("not more than the required 2.00%"), close.reason());
        assertFalse(rule.decide(Map.of("mse", 0.60), Map.of("mse", 0.70)).promote(), "worse");
    }

    @Test
    void accuracyMustRise() {
        PromotionRule rule = new PromotionRule("accuracy", 0.0);
        assertTrue(rule.decide(Map.of("accuracy", 0.90), Map.of("accuracy", 0.91)).promote());
        assertFalse(rule.decide(Map.of("accuracy", 0.90), Map.of("accuracy", 0.90)).promote(), "a tie keeps the champion");
    }

    @Test
    void theFirstVersionIsPromotedAndAMissingMetricIsAnError() {
        assertTrue(new PromotionRule("mse", 0.5).decide(null, Map.of("mse", 1.0)).promote());
        assertThrows(RegistryException.class, () -> new PromotionRule("mse", 0).decide(Map.of("mse", 1.0),
                Map.of("accuracy", 1.0)));
        assertThrows(RegistryException.class, () -> new PromotionRule("mse", 0).decide(Map.of("mse", 1.0),
                Map.of("mse", Double.NaN)));
    }

    @Test
    void aForecasterThatLosesToTheBestNaiveForecastIsNotPromotedEvenWithoutAChampion() {
        Map<String, Object> losing = Map.of("mse", 0.5, "bestBaseline", "seasonal",
                "skill", Map.of("seasonal", -0.17, "persistence", 0.4),
                "baselines", Map.of("seasonal", Map.of("mse", 0.428)));
        PromotionRule.Decision d = new PromotionRule("mse", 0.0, true).decide(null, losing);
        assertFalse(d.promote());
        assertTrue(d.reason().startsWith("challenger loses to the seasonal naive forecast on the holdout (skill "
                + "-0.1700: MSE 0.500000 against 0.428000)"), d.reason());
        assertTrue(new PromotionRule("mse", 0.0, false).decide(null, losing).promote());
        Map<String, Object> winning = Map.of("mse", 0.4, "bestBaseline", "seasonal", "skill", Map.of("seasonal", 0.07));
        assertTrue(new PromotionRule("mse", 0.0, true).decide(null, winning).promote());
    }
}
