package io.sparklstm.ml;

import io.sparklstm.jobs.config.Catalogue;
import io.sparklstm.model.settings.Setting;
import org.apache.spark.ml.param.Param;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The forecaster's parameters are the time-series, model and training keys, with their defaults and checks. */
class LstmForecasterParamsTest {

    /** Keys a DataFrame fit does not take from a parameter, each for a reason docs/ml.md gives. */
    private static final Set<String> NOT_PARAMETERS = Set.of("timeseries.timestampColumns",
            "timeseries.missing.columns");

    @Test
    void everyTimeSeriesKeyButTheTwoExplainedIsAParameterWithTheKeysDocAndDefault() {
        LstmForecaster f = new LstmForecaster();
        Set<String> mapped = ConfigParams.FORECASTER.mappings().stream().flatMap(m -> m.keys().stream())
                .collect(Collectors.toSet());
        for (Setting<?> s : Catalogue.section("timeseries").orElseThrow().settings()) {
            assertTrue(mapped.contains(s.key()) != NOT_PARAMETERS.contains(s.key()), s.key());
        }
        for (ConfigParams.Mapping m : ConfigParams.FORECASTER.mappings()) {
            Param<?> p = f.getParam(m.param());
            assertTrue(p.doc().contains(m.keys().get(0)), m.param() + ": " + p.doc());
            // not a key's own value: a fraction of split.fractions, 0 by default (docs/ml.md)
            if (m.param().equals(ConfigParams.VALIDATION_FRACTION)) continue;
            Object expected = KeyParams.sparkValue(m.setting().type(), m.setting().configDefault());
            Object actual = f.getOrDefault(p);
            assertTrue(Arrays.deepEquals(new Object[] {expected}, new Object[] {actual}),
                    m.param() + ": " + actual + " is not the default of " + m.keys());
        }
    }

    @Test
    void theClassifiersModelAndTrainingParametersAreTheForecastersToo() {
        LstmForecaster f = new LstmForecaster();
        for (ConfigParams.Mapping m : ConfigParams.SHARED) assertTrue(f.hasParam(m.param()), m.param());
        assertEquals(List.of(), ConfigParams.SHARED.stream().map(ConfigParams.Mapping::param)
                .filter(p -> !new LstmClassifier().hasParam(p)).toList());
    }

    @Test
    void aBadValueIsRefusedWhenSetNamingTheParameterAndTheKey() {
        LstmForecaster f = new LstmForecaster();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.setWindowSteps(0));
        assertTrue(e.getMessage().contains("windowSteps") && e.getMessage().contains("timeseries.windowSteps")
                && e.getMessage().contains("positive"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> f.setMissing("guess"));
        assertTrue(e.getMessage().contains("parameter missing") && e.getMessage().contains("timeseries.missing.default"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> f.setFrequency("fortnightly"));
        assertTrue(e.getMessage().contains("timeseries.frequency"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> f.setLearningRate(-1));
        assertTrue(e.getMessage().contains("learningRate") && e.getMessage().contains("model.learningRate"),
                e.getMessage());
        // refused values leave the defaults
        assertEquals(96, f.getWindowSteps());
        assertEquals("fail", f.getMissing());
    }

    @Test
    void goodValuesAreSetFluentlyAndReachTheirKeys() {
        LstmForecaster f = new LstmForecaster().setEntityCol("station").setTimestampCol("time")
                .setFeatureCols(new String[] {"load", "temp"}).setTargetCols(new String[] {"load"})
                .setWindowSteps(48).setHorizonSteps(6).setStrideSteps(2).setMissing("interpolate")
                .setFrequency("1h").setSeason("24").setDuplicates("last").setTargetOffset("last")
                .setHiddenUnits(new int[] {16}).setEpochs(3).setShrinkToNaive(false);
        var config = f.config("file:///rows");
        assertEquals(48, config.prepare().timeseries().windowSteps());
        assertEquals(List.of("load"), config.prepare().timeseries().targetColumns());
        assertEquals(List.of(16), config.model().layers());
        assertEquals(3, config.training().epochs());
        assertEquals("station", config.prepare().timeseries().entityColumn());
    }

    @Test
    void aPredictionStepAfterTheHorizonIsRefusedBeforeAnyWork() {
        LstmForecaster f = new LstmForecaster().setTimestampCol("t").setFeatureCols(new String[] {"x"})
                .setHorizonSteps(4).setPredictionStep(5);
        var schema = new org.apache.spark.sql.types.StructType().add("t", "string").add("x", "double");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.transformSchema(schema));
        assertTrue(e.getMessage().contains("predictionStep 5"), e.getMessage());
    }
}
