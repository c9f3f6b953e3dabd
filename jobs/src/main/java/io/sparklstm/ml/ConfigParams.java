package io.sparklstm.ml;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import io.sparklstm.jobs.config.Catalogue;
import io.sparklstm.jobs.config.ConfigException;
import io.sparklstm.jobs.config.ConfigLoader;
import io.sparklstm.jobs.config.JobConfig;
import io.sparklstm.model.settings.Setting;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How an estimator's parameters become configuration keys: each parameter names the key (or keys) it sets and how
 * its value is written there. The configuration is the shipped defaults ({@code conf/defaults.conf}) with these
 * keys over them, checked by the command line's own loader and {@link JobConfig}, so a bad value is refused with the
 * same rules and messages as {@code --set}; each parameter's type, doc and default are its key's {@link Setting}
 * (the catalogue behind {@code conf/defaults.conf}), read rather than re-typed.
 *
 * @param estimator what the messages call the estimator
 * @param mappings  every parameter that reaches the configuration, in the order their keys are written
 * @param fixed     the keys every fit sets, whatever the parameters (what the DataFrame is written as, and how),
 *                  but {@code input.path}
 */
record ConfigParams(String estimator, List<Mapping> mappings, Map<String, Object> fixed) {

    /** The shipped defaults, as the command line reads them. */
    static final Config DEFAULTS = ConfigLoader.defaults();

    /** One parameter's keys, and the value written under each of them. */
    record Mapping(String param, List<String> keys, Function<Object, Object> value) {

        /** The declared setting of the (first) key: the parameter's type, default and meaning. */
        Setting<?> setting() {
            return Catalogue.setting(keys.get(0))
                    .orElseThrow(() -> new IllegalArgumentException("no configuration key " + keys.get(0)));
        }
    }

    /** A parameter that sets one key to its own value. */
    static Mapping same(String param, String key) {
        return new Mapping(param, List.of(key), v -> v);
    }

    /** The split's validation fraction, the rest trained on, nothing held out for a test split. */
    static final String VALIDATION_FRACTION = "validationFraction";

    /** The model and training parameters of both estimators. */
    static final List<Mapping> SHARED = List.of(
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
            same("averagingSeconds", "training.averagingSeconds"),
            same("numWorkers", "training.workers"),
            same("keepBest", "training.keepBest"),
            same("earlyStoppingPatience", "training.earlyStopping.patience"),
            same("earlyStoppingMinDelta", "training.earlyStopping.minDelta"),
            same("earlyStoppingMetric", "training.earlyStopping.metric"),
            same("normalize", "prepare.normalize"),
            new Mapping(VALIDATION_FRACTION, List.of("split.fractions"), v -> {
                double f = ((Number) v).doubleValue();
                return List.of(1.0 - f, f, 0.0);
            }));

    /** {@link LstmClassifier}: one labelled sequence per row, written as sktime {@code .ts} files. */
    static final ConfigParams CLASSIFIER = new ConfigParams("LstmClassifier", concat(SHARED,
            same("perSequence", "prepare.perSequence"),
            same("sequenceStats", "prepare.sequenceStats"),
            same("convLayers", "model.convLayers"),
            same("convKernel", "model.convKernel"),
            same("pooling", "model.pooling"),
            same("ensembleMembers", "model.ensembleMembers")),
            Map.of("dataset.kind", "ts", "split.method", "random",
                    // the caller's DataFrame, not files of someone else's: a bad row fails the fit naming it
                    "input.onBadRecord", "fail",
                    // a library call has no terminal of its own to draw on
                    "training.progress", "never"));

    /**
     * {@link LstmForecaster}: long-format rows written as Parquet. Not parameters: {@code timeseries.timestampColumns}
     * (a DataFrame makes one timestamp column with {@code make_timestamp}) and {@code timeseries.missing.columns} (a
     * map; Spark ML has no such parameter type).
     */
    static final ConfigParams FORECASTER = new ConfigParams("LstmForecaster", concat(SHARED,
            same("timestampCol", "timeseries.timestampColumn"),
            same("timestampFormat", "timeseries.timestampFormat"),
            same("entityCol", "timeseries.entityColumn"),
            same("featureCols", "timeseries.featureColumns"),
            same("categoricalCols", "timeseries.categoricalColumns"),
            same("unseenCategory", "timeseries.unseenCategory"),
            same("targetCols", "timeseries.targetColumns"),
            same("windowSteps", "timeseries.windowSteps"),
            same("horizonSteps", "timeseries.horizonSteps"),
            same("strideSteps", "timeseries.strideSteps"),
            same("targetOffset", "timeseries.targetOffset"),
            same("season", "timeseries.season"),
            same("frequency", "timeseries.frequency"),
            same("duplicates", "timeseries.duplicates"),
            same("missing", "timeseries.missing.default"),
            same("shrinkToNaive", "training.shrinkToNaive")),
            Map.of("dataset.kind", "timeseries", "input.format", "parquet", "split.method", "time",
                    "input.onBadRecord", "fail", "training.progress", "never"));

    ConfigParams {
        mappings = List.copyOf(mappings);
        fixed = Map.copyOf(fixed);
    }

    private static List<Mapping> concat(List<Mapping> shared, Mapping... own) {
        List<Mapping> all = new ArrayList<>(shared);
        all.addAll(List.of(own));
        return List.copyOf(all);
    }

    /** The mapping of parameter {@code param}. */
    Mapping mapping(String param) {
        return mappings.stream().filter(m -> m.param().equals(param)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(estimator + " has no parameter " + param));
    }

    /** The keys every fit sets, reading its rows from {@code inputPath}. */
    Map<String, Object> fixed(String inputPath) {
        Map<String, Object> keys = new LinkedHashMap<>(fixed);
        keys.put("input.path", inputPath);
        return keys;
    }

    /** The configuration keys of parameter values given by name (Java values: Integer, int[], String[], ...). */
    Map<String, Object> keys(Map<String, Object> params) {
        Map<String, Object> keys = new LinkedHashMap<>();
        for (Mapping m : mappings) {
            if (!params.containsKey(m.param())) continue;
            Object value = m.value().apply(params.get(m.param()));
            for (String key : m.keys()) keys.put(key, value);
        }
        return keys;
    }

    /** The checked configuration: the defaults with {@code keys} over them; a {@link ConfigException} names each bad key. */
    static JobConfig config(Map<String, Object> keys) {
        Map<String, Object> plain = new LinkedHashMap<>();
        keys.forEach((k, v) -> plain.put(k, plain(v)));
        String hocon = ConfigFactory.parseMap(plain).root().render(ConfigRenderOptions.concise());
        return JobConfig.from(ConfigLoader.load("the estimator's parameters", hocon, List.of()));
    }

    /** A Spark parameter's array value as the list a configuration holds. */
    private static Object plain(Object value) {
        if (value instanceof int[] a) return Arrays.stream(a).boxed().toList();
        if (value instanceof double[] a) return Arrays.stream(a).boxed().toList();
        if (value instanceof String[] a) return List.of(a);
        return value;
    }

    /**
     * The checked configuration of a fit of estimator {@code uid} with these parameter values, reading
     * {@code inputPath}; a bad value fails naming the key and the parameter that sets it.
     */
    JobConfig config(String uid, Map<String, Object> params, String inputPath) {
        Map<String, Object> keys = keys(params);
        keys.putAll(fixed(inputPath));
        try {
            return config(keys);
        } catch (ConfigException e) {
            String involved = mappings.stream()
                    .filter(m -> m.keys().stream().anyMatch(k -> e.getMessage().contains(k)))
                    .map(m -> m.param() + " sets " + String.join(" and ", m.keys()))
                    .collect(Collectors.joining("; "));
            throw new IllegalArgumentException(uid + ": invalid parameters: " + e.getMessage()
                    + (involved.isEmpty() ? "" : " (" + involved + ")"), e);
        }
    }

    /**
     * What is wrong with one parameter's value, judged by the configuration's checks with every other key at its
     * default and the keys every fit sets; empty when nothing is.
     */
    Optional<String> problem(String param, Object value) {
        // Spark validates every default and every copy's values too: each distinct value is judged once
        return JUDGED.computeIfAbsent(List.of(estimator, param, plain(value)), k -> judge(param, value));
    }

    /** Judged values by (estimator, parameter, value as a configuration holds it: lists compare by content). */
    private static final Map<List<Object>, Optional<String>> JUDGED = new java.util.concurrent.ConcurrentHashMap<>();

    private Optional<String> judge(String param, Object value) {
        try {
            Map<String, Object> keys = keys(Map.of(param, value));
            keys.putAll(fixed("any"));
            config(keys);
            return Optional.empty();
        } catch (ConfigException | IllegalArgumentException | ClassCastException e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }

    /** Whether one parameter's value passes {@link #problem}'s checks. */
    boolean accepts(String param, Object value) {
        return problem(param, value).isEmpty();
    }

    /**
     * A parameter's validator: Spark calls it when the value is set (or loaded); a refused value fails at once with a
     * message that names the estimator, the parameter, its key and what would work (Spark's own message names only
     * the parameter).
     */
    boolean check(String uid, String param, Object value) {
        Optional<String> problem = problem(param, value);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(uid + ": parameter " + param + " ("
                    + String.join(", ", mapping(param).keys()) + ") given an invalid value: " + problem.get());
        }
        return true;
    }

    /**
     * A parameter's documentation: the meaning declared with the configuration key it sets (the comment of
     * {@code conf/defaults.conf}), followed by the key.
     */
    static String keyDoc(String key) {
        return Catalogue.setting(key).orElseThrow(() -> new IllegalArgumentException("no configuration key " + key))
                .doc().strip().replaceAll("\\s+", " ") + " (" + key + ")";
    }

    /** A mapping's documentation: its keys' meanings (one when every key means the same). */
    static String doc(Mapping m) {
        return m.keys().stream().map(ConfigParams::keyDoc).collect(Collectors.joining("; "));
    }
}
