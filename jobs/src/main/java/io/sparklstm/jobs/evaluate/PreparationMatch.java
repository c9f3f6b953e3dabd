package io.sparklstm.jobs.evaluate;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import io.sparklstm.jobs.config.ConfigLoader;
import io.sparklstm.model.data.DatasetManifest;
import io.sparklstm.model.data.Preparation;
import io.sparklstm.model.data.Standardizer;
import io.sparklstm.prep.DatasetKindSupport;
import io.sparklstm.prep.RecordedSetting;
import io.sparklstm.prep.SettingComparison;
import io.sparklstm.prep.config.PrepareConfig;
import io.sparklstm.prep.io.InputDataException;
import io.sparklstm.prep.job.DatasetKinds;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Whether a prepared dataset was prepared as a model's training data was, in everything that changes what the
 * model sees: the dataset kind and task, the window and horizon, the target offset, the time grid, duplicates
 * and missing values, the feature, target and class names, the category vocabularies and the normalizer.
 * Scoring data prepared otherwise gives numbers that are not the model's (another target offset scored a test MSE
 * of 0.553 for a model whose own is 1.411). What only chooses which examples there are (the stride, the split)
 * or where the data lies may differ.
 */
public final class PreparationMatch {

    /** Relative difference below which two normalizer statistics are the same (JSON round trips, summation order). */
    static final double NORMALIZER_TOLERANCE = 1e-9;

    private PreparationMatch() {
    }

    /**
     * Fails with an input-data error (exit code 3) listing every difference when {@code data} was prepared
     * otherwise than {@code model}'s training data.
     */
    public static void require(Preparation model, DatasetManifest data, String dataDir) {
        List<String> differences = differences(model, data);
        if (!differences.isEmpty()) {
            throw new InputDataException(dataDir + ": the data was prepared differently from the model's training "
                    + "data, so its scores would not be the model's: " + String.join("; ", differences)
                    + ". Prepare it with the model's settings (its run's config.conf), or score raw data with "
                    + "predict, which prepares it the model's way");
        }
    }

    /**
     * Fails with an input-data error (exit code 3) when predict would prepare new data otherwise than the model's
     * training data ({@link #unapplied}).
     */
    public static void requireApplied(Preparation model, PrepareConfig config, String input) {
        List<String> differences = unapplied(model, config);
        if (!differences.isEmpty()) {
            throw new InputDataException(input + ": the data would be prepared differently from the model's "
                    + "training data: " + String.join("; ", differences) + ". Prepare new data with the model's "
                    + "own settings");
        }
    }

    /**
     * How predict, which prepares new data from the model's settings with the caller's overrides, would prepare it
     * otherwise than the model's training data: in the settings it takes from its configuration (the window, the
     * target offset, the series, the channels of a sequence and what is made of it). The normalizer, vocabularies, feature and target
     * columns it takes from the model itself, and checks the data against. Empty: none.
     */
    public static List<String> unapplied(Preparation model, PrepareConfig config) {
        List<String> out = new ArrayList<>();
        String subject = "predict would prepare the data with ";
        String kind = config.kind().name().toLowerCase(Locale.ROOT);
        setting(out, subject, "dataset.kind", quoted(kind), quoted(model.kind()), kind.equals(model.kind()));
        if (kind.equals(model.kind())) {
            for (SettingComparison applied : DatasetKinds.of(config.kind()).appliedSettings(model, config,
                    key -> modelSetting(model, key))) {
                setting(out, subject, applied.key(), applied.configured(), applied.model(), applied.same());
            }
        }
        return out;
    }

    /** A text setting the model recorded (over the defaults); none when it recorded no settings. */
    private static Optional<String> modelSetting(Preparation model, String key) {
        if (model.settings().isEmpty()) return Optional.empty();
        Config config = ConfigValueFactory.fromMap(model.settings()).toConfig().withFallback(ConfigLoader.defaults());
        return value(config, key).map(String::valueOf);
    }

    /** Every way in which {@code data} was prepared otherwise than {@code model}'s training data; empty: none. */
    public static List<String> differences(Preparation model, DatasetManifest data) {
        List<String> out = new ArrayList<>();
        String kind = model.kind();
        setting(out, "dataset.kind", quoted(data.kind()), quoted(kind), data.kind().equals(kind));
        if (model.task() != data.task()) {
            out.add("the data's task is " + name(data.task()) + ", the model's " + name(model.task()));
        }
        Optional<DatasetKindSupport> support = DatasetKinds.named(kind);
        for (SettingComparison shape : support.map(k -> k.shapeSettings(model, data)).orElse(List.of())) {
            setting(out, shape.key(), shape.configured(), shape.model(), shape.same());
        }
        names(out, "feature channels", data.featureNames(), model.featureNames());
        names(out, "targets", data.targetNames(), model.targetNames());
        names(out, "classes", data.classNames(), model.classNames());
        if (!data.categories().equals(model.categories())) {
            out.add("the data's category vocabularies are " + data.categories() + ", the model's "
                    + model.categories());
        }
        normalizer(data.normalizer(), model.normalizer()).ifPresent(out::add);
        settings(out, support.map(DatasetKindSupport::recordedSettings).orElse(List.of()), data.settings(),
                model.settings());
        return out;
    }

    private static void setting(List<String> out, String key, Object data, Object model, boolean same) {
        setting(out, "the data was prepared with ", key, data, model, same);
    }

    private static void setting(List<String> out, String subject, String key, Object data, Object model,
                                boolean same) {
        if (!same) out.add(subject + key + " = " + data + ", the model with " + model);
    }

    private static void names(List<String> out, String what, List<String> data, List<String> model) {
        if (!data.equals(model)) {
            out.add("the data has the " + what + " " + abbreviated(data) + ", the model " + abbreviated(model));
        }
    }

    /** A long list (a text vocabulary) shows its size and its first names. */
    private static String abbreviated(List<String> names) {
        return names.size() <= 12 ? names.toString()
                : names.size() + " " + names.subList(0, 12).toString().replace("]", ", ...]");
    }

    private static Optional<String> normalizer(Standardizer data, Standardizer model) {
        if (data == null || model == null) {
            return data == model ? Optional.empty() : Optional.of("the data was " + (data == null ? "not " : "")
                    + "standardized, the model's training data was" + (model == null ? " not" : ""));
        }
        if (!data.columns().equals(model.columns())) {
            return Optional.of("the data was standardized over the columns " + data.columns() + ", the model's "
                    + "training data over " + model.columns());
        }
        for (int i = 0; i < data.columns().size(); i++) {
            if (!close(data.mean()[i], model.mean()[i]) || !close(data.std()[i], model.std()[i])) {
                return Optional.of("the data was standardized with other statistics than the model's training data "
                        + "(column " + data.columns().get(i) + ": mean " + data.mean()[i] + " and std "
                        + data.std()[i] + ", the model's " + model.mean()[i] + " and " + model.std()[i]
                        + "): it was prepared from another training split");
            }
        }
        return Optional.empty();
    }

    static boolean close(double a, double b) {
        return a == b || Math.abs(a - b) <= NORMALIZER_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
    }

    /**
     * The recorded settings compared key by key, each side over the defaults. A side that records no settings at
     * all (a bundle older than them) is not compared: its defaults would stand for settings it did not keep.
     */
    private static void settings(List<String> out, List<RecordedSetting> keys, Map<String, Object> data,
                                 Map<String, Object> model) {
        if (data.isEmpty() || model.isEmpty()) return;
        Config defaults = ConfigLoader.defaults();
        Config dataConfig = ConfigValueFactory.fromMap(data).toConfig().withFallback(defaults);
        Config modelConfig = ConfigValueFactory.fromMap(model).toConfig().withFallback(defaults);
        for (RecordedSetting s : keys) {
            Optional<Object> d = value(dataConfig, s.key());
            Optional<Object> m = value(modelConfig, s.key());
            if (!normalized(d, s.choice()).equals(normalized(m, s.choice()))) {
                out.add("the data was prepared with " + s.key() + " = " + rendered(dataConfig, s.key())
                        + ", the model with " + rendered(modelConfig, s.key()));
            }
        }
    }

    private static Optional<Object> value(Config config, String key) {
        return config.hasPathOrNull(key) && !config.getIsNull(key)
                ? Optional.of(config.getValue(key).unwrapped()) : Optional.empty();
    }

    private static String rendered(Config config, String key) {
        return config.hasPathOrNull(key) && !config.getIsNull(key)
                ? config.getValue(key).render(ConfigRenderOptions.concise()) : "(none)";
    }

    /** A value as compared: numbers by value, texts trimmed (choices in lower case), maps by key, recursively. */
    private static Object normalized(Optional<Object> value, boolean choice) {
        return value.map(v -> normalized(v, choice)).orElse(Optional.empty());
    }

    private static Object normalized(Object value, boolean choice) {
        if (value instanceof Number n) {
            return new BigDecimal(n.toString()).stripTrailingZeros();
        }
        if (value instanceof String s) {
            return choice ? s.trim().toLowerCase(Locale.ROOT) : s.trim();
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new TreeMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), normalized(v, choice)));
            return out;
        }
        if (value instanceof List<?> l) {
            return l.stream().map(v -> normalized(v, choice)).toList();
        }
        return Objects.requireNonNullElse(value, Optional.empty());
    }

    private static String quoted(String text) {
        return "\"" + text + "\"";
    }

    private static String name(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
