package io.sparklstm.ml;

import io.sparklstm.jobs.config.ConfigException;
import io.sparklstm.jobs.config.JobConfig;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The translation of the estimator's parameters into configuration keys, checked by the command line's rules. */
class ConfigParamsTest {

    @Test
    void parametersBecomeTheirKeysOverTheShippedDefaults() {
        Map<String, Object> params = new HashMap<>();
        params.put("hiddenUnits", new int[] {16, 8});
        params.put("seed", 7L);
        params.put("validationFraction", 0.25);
        params.put("pooling", "max");
        Map<String, Object> keys = ConfigParams.CLASSIFIER.keys(params);
        keys.putAll(ConfigParams.CLASSIFIER.fixed("file:///data/part-*"));
        JobConfig config = ConfigParams.config(keys);
        assertEquals(List.of(16, 8), config.model().layers());
        assertEquals(7L, config.model().seed());
        assertEquals(7L, config.prepare().seed());
        assertEquals(List.of(0.75, 0.25, 0.0), config.prepare().split().fractions());
        assertEquals(io.sparklstm.model.ModelSpec.Pooling.MAX, config.model().pooling());
        // a key no parameter sets keeps its shipped default
        assertEquals(ConfigParams.DEFAULTS.getInt("training.epochs"), config.training().epochs());
    }

    @Test
    void everyBadValueIsNamedByItsKey() {
        Map<String, Object> params = new HashMap<>();
        params.put("hiddenUnits", new int[] {0});
        params.put("learningRate", -1.0);
        Map<String, Object> keys = ConfigParams.CLASSIFIER.keys(params);
        keys.putAll(ConfigParams.CLASSIFIER.fixed("x"));
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigParams.config(keys));
        assertTrue(e.getMessage().contains("model.layers"), e.getMessage());
        assertTrue(e.getMessage().contains("model.learningRate"), e.getMessage());
    }

    @Test
    void aSingleValueIsJudgedWithTheKeysEveryFitSets() {
        // perSequence is refused for the default dataset kind (timeseries), accepted for the .ts data fit writes
        assertTrue(ConfigParams.CLASSIFIER.accepts("perSequence", "standardize"));
        assertFalse(ConfigParams.CLASSIFIER.accepts("perSequence", "sideways"));
        assertTrue(ConfigParams.CLASSIFIER.accepts("pooling", "mean"));
        assertFalse(ConfigParams.CLASSIFIER.accepts("pooling", "median"));
        assertFalse(ConfigParams.CLASSIFIER.accepts("epochs", 0));
        assertTrue(ConfigParams.CLASSIFIER.accepts("validationFraction", 0.0));
        assertFalse(ConfigParams.CLASSIFIER.accepts("validationFraction", 1.0));
    }

    @Test
    void everyMappedParameterIsAParameterOfTheEstimator() {
        LstmClassifier c = new LstmClassifier();
        for (ConfigParams.Mapping m : ConfigParams.CLASSIFIER.mappings()) {
            assertTrue(c.hasParam(m.param()), m.param());
            assertFalse(c.getParam(m.param()).doc().isEmpty(), m.param());
        }
        long start = System.nanoTime();
        new LstmClassifier().setEpochs(3).setHiddenUnits(new int[] {8});
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "setting parameters takes "
                + (System.nanoTime() - start) / 1e6 + " ms");
    }
}
