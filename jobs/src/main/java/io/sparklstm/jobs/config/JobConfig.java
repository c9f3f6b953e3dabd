package io.sparklstm.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import io.sparklstm.model.CellType;
import io.sparklstm.model.InvalidSetting;
import io.sparklstm.model.ModelSpec;
import io.sparklstm.prep.config.DatasetKind;
import io.sparklstm.prep.config.Duplicates;
import io.sparklstm.prep.config.Frequency;
import io.sparklstm.prep.config.InputConfig;
import io.sparklstm.prep.config.InvalidSettingsException;
import io.sparklstm.prep.config.MissingConfig;
import io.sparklstm.prep.config.PerSequence;
import io.sparklstm.prep.config.PrepareConfig;
import io.sparklstm.prep.config.SequencesConfig;
import io.sparklstm.prep.config.SplitConfig;
import io.sparklstm.prep.config.TextConfig;
import io.sparklstm.prep.config.TimeSeriesConfig;
import io.sparklstm.prep.config.TsConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.sparklstm.jobs.config.WholeNumbers.integer;
import static io.sparklstm.jobs.config.WholeNumbers.integers;
import static io.sparklstm.jobs.config.WholeNumbers.longInteger;

/**
 * The whole configuration of a job, one record per concern, each checked when built. Every problem found
 * is reported at once, with its key.
 */
public record JobConfig(PrepareConfig prepare, ModelSpec model, TrainingConfig training, SparkSettings spark,
                        Config raw) {

    /** A configuration key, quoted parts included ({@code a."b.c"}). */
    private static final String PATH = "(?:[A-Za-z0-9_\\-]+|\"[^\"]+\")(?:\\.(?:[A-Za-z0-9_\\-]+|\"[^\"]+\"))*";
    private static final Pattern KEY = Pattern.compile(PATH);
    /** How a problem names its key: {@code key = value is invalid: ...} or {@code key: ...}. */
    private static final Pattern PROBLEM_KEY = Pattern.compile("(" + PATH + ")(?: = |: )");

    public static JobConfig from(Config c) {
        Attempt attempt = attempt(c);
        if (attempt.problems().isEmpty()) {
            return attempt.config();
        }
        throw new ConfigException(new ArrayList<>(problems(c, Set.of()).values()));
    }

    /**
     * Every problem of a configuration's values, by key: each record stops at its first bad value, and the
     * preparation's cross-field checks need all its records, so the values at fault are put back to their
     * defaults and the records built again until no new problem turns up. A problem found that way is kept only
     * when it does not name a value that was put back: it would be about a default, not about what was written.
     *
     * @param faulty keys already found at fault (unknown, ill-typed): put back before the first build
     */
    static Map<String, String> problems(Config c, Set<String> faulty) {
        Values values = new Values(c);
        values.putBack(faulty);
        Map<String, String> found = new TreeMap<>();
        while (true) {
            List<String> wrong = new ArrayList<>();
            for (String problem : attempt(values.current).problems()) {
                // put back even when not reported: the checks after it in its record run in the next build
                wrong.add(keyOf(problem));
                if (values.putBack.stream().noneMatch(key -> mentions(problem, key))) {
                    found.putIfAbsent(keyOf(problem), problem);
                }
            }
            if (!values.putBack(wrong)) {
                return found;
            }
        }
    }

    /** A configuration whose values at fault are put back to their defaults, a few keys at a time. */
    private static final class Values {
        private final Config defaults = ConfigLoader.defaults();
        /** Keys whose value is now the default's: a problem that names one is about the default. */
        private final Set<String> putBack = new HashSet<>();
        /** Keys put back or removed (a column's missing-value policy has no default). */
        private final Set<String> handled = new HashSet<>();
        private Config current;

        Values(Config c) {
            current = c;
        }

        /** Puts back the keys not handled yet that are paths; whether any was. */
        boolean putBack(Collection<String> keys) {
            boolean changed = false;
            for (String key : keys) {
                if (handled.contains(key) || !KEY.matcher(key).matches()) continue;
                try {
                    if (defaults.hasPath(key)) {
                        current = current.withValue(key, defaults.getValue(key));
                        putBack.add(key);
                    } else {
                        current = current.withoutPath(key);
                    }
                    handled.add(key);
                    changed = true;
                } catch (com.typesafe.config.ConfigException e) {
                    // not a path after all: the problem stays reported, nothing is put back
                }
            }
            return changed;
        }
    }

    /** Whether {@code problem} names {@code key} itself, not a longer key that starts or ends like it. */
    private static boolean mentions(String problem, String key) {
        for (int at = problem.indexOf(key); at >= 0; at = problem.indexOf(key, at + 1)) {
            int end = at + key.length();
            boolean startsThere = at == 0 || !(partOfKey(problem.charAt(at - 1)) || problem.charAt(at - 1) == '.');
            boolean longer = end < problem.length() && (partOfKey(problem.charAt(end))
                    || (problem.charAt(end) == '.' && end + 1 < problem.length() && partOfKey(problem.charAt(end + 1))));
            if (startsThere && !longer) return true;
        }
        return false;
    }

    private static boolean partOfKey(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '"';
    }

    /** The key a problem starts with ({@code key = value is invalid...}, {@code key: ...}), or the whole text. */
    private static String keyOf(String problem) {
        java.util.regex.Matcher m = PROBLEM_KEY.matcher(problem);
        return m.lookingAt() ? m.group(1) : problem;
    }

    /** The records built from {@code c}, or the problems found on the way (one line each). */
    private record Attempt(JobConfig config, List<String> problems) {
    }

    private static Attempt attempt(Config c) {
        List<String> problems = new ArrayList<>();
        InputConfig input = build(problems, () -> new InputConfig(c.getString("input.path"),
                c.getString("input.delimiter"), c.getBoolean("input.header"), c.getString("input.encoding"),
                enumOf(InputConfig.Format.class, c, "input.format"), c.getStringList("input.naTokens"),
                c.getDoubleList("input.sentinels"), enumOf(InputConfig.BadRecords.class, c, "input.onBadRecord")));
        TimeSeriesConfig ts = build(problems, () -> new TimeSeriesConfig(c.getString("timeseries.timestampColumn"),
                c.getString("timeseries.timestampFormat"), c.getStringList("timeseries.featureColumns"),
                c.getStringList("timeseries.targetColumns"), integer(c, "timeseries.windowSteps"),
                integer(c, "timeseries.horizonSteps"), integer(c, "timeseries.strideSteps"),
                enumOf(TimeSeriesConfig.TargetOffset.class, c, "timeseries.targetOffset"),
                c.getString("timeseries.entityColumn"), c.getStringList("timeseries.timestampColumns"),
                c.getStringList("timeseries.categoricalColumns"),
                enumOf(TimeSeriesConfig.UnseenCategory.class, c, "timeseries.unseenCategory"), missing(c),
                Frequency.parse(c.getString("timeseries.frequency")),
                enumOf(Duplicates.class, c, "timeseries.duplicates"),
                TimeSeriesConfig.parseSeason(c.getString("timeseries.season"))));
        SequencesConfig seq = build(problems, () -> new SequencesConfig(c.getString("sequences.separator"),
                integer(c, "sequences.channels"), enumOf(SequencesConfig.Label.class, c, "sequences.label"),
                integer(c, "sequences.rowsPerClass"), c.getStringList("sequences.classNames")));
        SplitConfig split = build(problems, () -> new SplitConfig(enumOf(SplitConfig.Method.class, c, "split.method"),
                c.getDoubleList("split.fractions"), c.getString("split.trainEnd"), c.getString("split.validationEnd"),
                c.getString("split.testEnd"),
                enumOf(SplitConfig.DuplicatesAcrossSplits.class, c, "split.duplicatesAcrossSplits")));
        TsConfig tsFiles = build(problems, () -> new TsConfig(c.getString("ts.testPath")));
        TextConfig text = build(problems, () -> new TextConfig(integer(c, "text.sequenceSteps"),
                integer(c, "text.strideSteps"), enumOf(TextConfig.UnseenCharacters.class, c, "text.unseenCharacters")));
        PrepareConfig prepare = null;
        if (Stream.of(input, ts, seq, split, tsFiles, text).allMatch(Objects::nonNull)) {
            prepare = build(problems, () -> new PrepareConfig(enumOf(DatasetKind.class, c, "dataset.kind"), input, ts,
                    seq, tsFiles, split, c.getBoolean("prepare.normalize"), integer(c, "prepare.minibatchSize"),
                    longInteger(c, "prepare.seed"), text, enumOf(PerSequence.class, c, "prepare.perSequence"),
                    c.getBoolean("prepare.sequenceStats")));
        }
        ModelSpec model = build(problems, () -> new ModelSpec(enumOf(CellType.class, c, "model.cell"),
                integers(c, "model.layers"), integers(c, "model.denseLayers"), c.getBoolean("model.bidirectional"),
                c.getDouble("model.dropout"), c.getDouble("model.l2"),
                enumOf(ModelSpec.Clipping.class, c, "model.clipping"), c.getDouble("model.clipThreshold"),
                enumOf(ModelSpec.Updater.class, c, "model.updater"), c.getDouble("model.learningRate"),
                c.getDouble("model.lrDecayPerEpoch"), integer(c, "model.tbpttSteps"), longInteger(c, "model.seed"),
                enumOf(ModelSpec.Kernel.class, c, "model.kernel"), integers(c, "model.convLayers"),
                integer(c, "model.convKernel")));
        TrainingConfig training = build(problems, () -> new TrainingConfig(integer(c, "training.epochs"),
                integer(c, "training.batchSizePerWorker"), integer(c, "training.averagingFrequency"),
                integer(c, "training.workerPrefetchBatches"), c.getBoolean("training.saveUpdater"),
                integer(c, "training.workers"), c.getString("training.repartition"),
                c.getBoolean("training.collectTrainingStats"), integer(c, "training.evalBatchSize"),
                c.getBoolean("training.keepBest"), integer(c, "training.earlyStopping.patience"),
                c.getDouble("training.earlyStopping.minDelta"), c.getString("training.earlyStopping.metric"),
                c.getString("training.progress"), c.getBoolean("training.shrinkToNaive"),
                integer(c, "training.averageLastEpochs")));
        SparkSettings spark = build(problems, () -> new SparkSettings(c.getString("spark.master"),
                c.getString("spark.appName"), sparkConf(c.getConfig("spark.conf"))));
        build(problems, () -> Redaction.of(c)); // its pattern must compile before anything is saved
        return problems.isEmpty() ? new Attempt(new JobConfig(prepare, model, training, spark, c), List.of())
                : new Attempt(null, problems);
    }

    /**
     * The resolved configuration as HOCON, for writing next to every output, with the values of secret Spark
     * properties replaced ({@link Redaction}): a saved configuration is read by whoever reads the output.
     */
    public String render() {
        return saved().root().render(ConfigRenderOptions.defaults().setOriginComments(false).setComments(false)
                .setJson(false).setFormatted(true));
    }

    /** The resolved preparation settings ({@code dataset}, {@code input}, ... {@code prepare}), kept in manifests. */
    public Map<String, Object> prepareSettings() {
        return sections("dataset", "input", "timeseries", "sequences", "ts", "text", "split", "prepare");
    }

    /** The resolved configuration of the given sections as a map, for manifests and bundles; secrets redacted. */
    public Map<String, Object> sections(String... names) {
        Config saved = saved();
        Map<String, Object> out = new TreeMap<>();
        for (String name : names) {
            out.put(name, saved.getConfig(name).root().unwrapped());
        }
        return out;
    }

    /** The configuration as every saved copy has it: secrets redacted. */
    private Config saved() {
        return Redaction.of(raw).apply(raw);
    }

    private static <T> T build(List<String> problems, Supplier<T> builder) {
        try {
            return builder.get();
        } catch (InvalidSettingsException e) {
            problems.addAll(e.problems());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        } catch (com.typesafe.config.ConfigException e) {
            problems.add(e.getMessage());
        }
        return null;
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, Config c, String key) {
        String value = c.getString(key);
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(InvalidSetting.message(key, InvalidSetting.quoted(value), "one of "
                    + Arrays.stream(type.getEnumConstants()).map(v -> v.name().toLowerCase(Locale.ROOT)).toList()));
        }
    }

    /** {@code timeseries.missing}: a default policy and per-column overrides keyed by column name. */
    private static MissingConfig missing(Config c) {
        MissingConfig.Policy defaultPolicy = enumOf(MissingConfig.Policy.class, c, "timeseries.missing.default");
        Map<String, MissingConfig.Policy> columns = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : c.getConfig("timeseries.missing.columns").root().entrySet()) {
            String key = "timeseries.missing.columns.\"" + e.getKey() + "\"";
            Object value = e.getValue().unwrapped();
            if (!(value instanceof String text)) {
                throw new IllegalArgumentException(InvalidSetting.message(key, e.getValue().render(),
                        "one of " + policyNames()));
            }
            try {
                columns.put(e.getKey(), MissingConfig.Policy.valueOf(text.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(InvalidSetting.message(key, InvalidSetting.quoted(text),
                        "one of " + policyNames()));
            }
        }
        return new MissingConfig(defaultPolicy, columns);
    }

    private static List<String> policyNames() {
        return Arrays.stream(MissingConfig.Policy.values()).map(v -> v.name().toLowerCase(Locale.ROOT)).toList();
    }

    private static Map<String, String> sparkConf(Config conf) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : conf.entrySet()) {
            String key = e.getKey().replace("\"", "");
            out.put(key, String.valueOf(e.getValue().unwrapped()));
        }
        return out;
    }
}
