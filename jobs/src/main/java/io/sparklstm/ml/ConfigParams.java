package io.sparklstm.ml;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import io.sparklstm.jobs.config.Catalogue;
import io.sparklstm.jobs.config.ConfigException;
import io.sparklstm.jobs.config.ConfigLoader;
import io.sparklstm.jobs.config.JobConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How the estimator's parameters become configuration keys: each parameter names the key (or keys) it sets and how
 * its value is written there. The configuration is the shipped defaults ({@code conf/defaults.conf}) with these
 * keys over them, checked by the command line's own loader and {@link JobConfig}, so a bad value is refused with the
 * same rules and messages as {@code --set}, and the defaults are the shipped ones, read rather than re-typed.
 */
final class ConfigParams {

    /** The shipped defaults, as the command line reads them. */
    static final Config DEFAULTS = ConfigLoader.defaults();

    /** One parameter's keys, and the value written under each of them. */
    record Mapping(String param, List<String> keys, Function<Object, Object> value) {
    }

    /** A parameter that sets one key to its own value. */
    static Mapping same(String param, String key) {
        return new Mapping(param, List.of(key), v -> v);
    }

    /** Every parameter that reaches the configuration, in the order their keys are written. */
    static final List<Mapping> MAPPINGS = List.of(
            same("hiddenUnits", "model.layers"),
            same("denseUnits", "model.denseLayers"),
            same("cellType", "model.cell"),
            same("bidirectional", "model.bidirectional"),
            same("dropout", "model.dropout"),
            same("l2", "model.l2"),
            same("clipping", "model.clipping"),
            same("clipThreshold", "model.clipThreshold"),
            same("updater", "model.updater"),
            same("learningRate", "model.learningRate"),
            same("learningRateDecay", "model.lrDecayPerEpoch"),
            same("tbpttSteps", "model.tbpttSteps"),
            same("kernel", "model.kernel"),
            // one seed for the network, the split and the order of the training examples
            new Mapping("seed", List.of("model.seed", "prepare.seed"), v -> v),
            same("epochs", "training.epochs"),
            same("minibatchSize", "prepare.minibatchSize"),
            same("batchSizePerWorker", "training.batchSizePerWorker"),
            same("averagingFrequency", "training.averagingFrequency"),
            same("numWorkers", "training.workers"),
            same("keepBest", "training.keepBest"),
            same("earlyStoppingPatience", "training.earlyStopping.patience"),
            same("earlyStoppingMinDelta", "training.earlyStopping.minDelta"),
            same("earlyStoppingMetric", "training.earlyStopping.metric"),
            same("perSequence", "prepare.perSequence"),
            same("sequenceStats", "prepare.sequenceStats"),
            same("normalize", "prepare.normalize"),
            new Mapping("validationFraction", List.of("split.fractions"), v -> {
                double f = ((Number) v).doubleValue();
                return List.of(1.0 - f, f, 0.0);
            }));

    private ConfigParams() {
    }

    /** The keys that every fit sets, whatever the parameters: what the DataFrame is written as, and how. */
    static Map<String, Object> fixed(String inputPath) {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("dataset.kind", "ts");
        keys.put("input.path", inputPath);
        keys.put("split.method", "random");
        // the caller's DataFrame, not files of someone else's: a bad row fails the fit naming it
        keys.put("input.onBadRecord", "fail");
        // a library call has no terminal of its own to draw on
        keys.put("training.progress", "never");
        return keys;
    }

    /** The configuration keys of parameter values given by name (Java values: Integer, int[], String, ...). */
    static Map<String, Object> keys(Map<String, Object> params) {
        Map<String, Object> keys = new LinkedHashMap<>();
        for (Mapping m : MAPPINGS) {
            if (!params.containsKey(m.param())) continue;
            Object value = m.value().apply(params.get(m.param()));
            for (String key : m.keys()) keys.put(key, value);
        }
        return keys;
    }

    /** The checked configuration: the defaults with {@code keys} over them; a {@link ConfigException} names each bad key. */
    static JobConfig config(Map<String, Object> keys) {
        Map<String, Object> plain = new LinkedHashMap<>();
        keys.forEach((k, v) -> plain.put(k, v instanceof int[] a ? java.util.Arrays.stream(a).boxed().toList() : v));
        String hocon = ConfigFactory.parseMap(plain).root().render(ConfigRenderOptions.concise());
        return JobConfig.from(ConfigLoader.load("the estimator's parameters", hocon, List.of()));
    }

    /**
     * Whether one parameter's value passes the configuration's checks with every other key at its default (and
     * the keys every fit sets).
     */
    static boolean accepts(String param, Object value) {
        try {
            Map<String, Object> keys = keys(Map.of(param, value));
            keys.putAll(fixed("any"));
            config(keys);
            return true;
        } catch (ConfigException | IllegalArgumentException | ClassCastException e) {
            return false;
        }
    }

    /**
     * A parameter's documentation: the meaning declared with the configuration key it sets (the comment of
     * {@code conf/defaults.conf}), followed by the key.
     */
    static String keyDoc(String key) {
        return Catalogue.setting(key).orElseThrow(() -> new IllegalArgumentException("no configuration key " + key))
                .doc().strip().replaceAll("\\s+", " ") + " (" + key + ")";
    }

    /** Which parameter sets which keys, for messages: {@code hiddenUnits -> model.layers, ...}. */
    static String legend() {
        StringBuilder out = new StringBuilder();
        for (Mapping m : MAPPINGS) {
            if (out.length() > 0) out.append(", ");
            out.append(m.param()).append(" -> ").append(String.join(" and ", m.keys()));
        }
        return out.toString();
    }
}
