package io.sparklstm.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import io.sparklstm.model.settings.InvalidSetting;
import io.sparklstm.model.ModelKeys;
import io.sparklstm.model.ModelSpec;
import io.sparklstm.prep.config.DatasetKeys;
import io.sparklstm.prep.config.Frequency;
import io.sparklstm.prep.config.InputConfig;
import io.sparklstm.prep.config.InputKeys;
import io.sparklstm.prep.config.InvalidSettingsException;
import io.sparklstm.prep.config.MissingConfig;
import io.sparklstm.prep.config.PrepareConfig;
import io.sparklstm.prep.config.PrepareKeys;
import io.sparklstm.prep.config.SequencesConfig;
import io.sparklstm.prep.config.SequencesKeys;
import io.sparklstm.prep.config.SplitConfig;
import io.sparklstm.prep.config.SplitKeys;
import io.sparklstm.prep.config.TextConfig;
import io.sparklstm.prep.config.TextKeys;
import io.sparklstm.prep.config.TimeSeriesConfig;
import io.sparklstm.prep.config.TimeSeriesKeys;
import io.sparklstm.prep.config.TsConfig;
import io.sparklstm.prep.config.TsKeys;

import java.util.ArrayList;
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

import static io.sparklstm.jobs.config.ConfigValues.read;

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
        InputConfig input = build(problems, () -> new InputConfig(read(c, InputKeys.PATH),
                read(c, InputKeys.DELIMITER), read(c, InputKeys.HEADER), read(c, InputKeys.ENCODING),
                read(c, InputKeys.FORMAT), read(c, InputKeys.NA_TOKENS), read(c, InputKeys.SENTINELS),
                read(c, InputKeys.ON_BAD_RECORD)));
        TimeSeriesConfig ts = build(problems, () -> new TimeSeriesConfig(read(c, TimeSeriesKeys.TIMESTAMP_COLUMN),
                read(c, TimeSeriesKeys.TIMESTAMP_FORMAT), read(c, TimeSeriesKeys.FEATURE_COLUMNS),
                read(c, TimeSeriesKeys.TARGET_COLUMNS), read(c, TimeSeriesKeys.WINDOW_STEPS),
                read(c, TimeSeriesKeys.HORIZON_STEPS), read(c, TimeSeriesKeys.STRIDE_STEPS),
                read(c, TimeSeriesKeys.TARGET_OFFSET), read(c, TimeSeriesKeys.ENTITY_COLUMN),
                read(c, TimeSeriesKeys.TIMESTAMP_COLUMNS), read(c, TimeSeriesKeys.CATEGORICAL_COLUMNS),
                read(c, TimeSeriesKeys.UNSEEN_CATEGORY), missing(c),
                Frequency.parse(read(c, TimeSeriesKeys.FREQUENCY)),
                read(c, TimeSeriesKeys.DUPLICATES), TimeSeriesConfig.parseSeason(read(c, TimeSeriesKeys.SEASON))));
        SequencesConfig seq = build(problems, () -> new SequencesConfig(read(c, SequencesKeys.SEPARATOR),
                read(c, SequencesKeys.CHANNELS), read(c, SequencesKeys.LABEL), read(c, SequencesKeys.ROWS_PER_CLASS),
                read(c, SequencesKeys.CLASS_NAMES)));
        SplitConfig split = build(problems, () -> new SplitConfig(read(c, SplitKeys.METHOD),
                read(c, SplitKeys.FRACTIONS), read(c, SplitKeys.TRAIN_END), read(c, SplitKeys.VALIDATION_END),
                read(c, SplitKeys.TEST_END), read(c, SplitKeys.DUPLICATES_ACROSS_SPLITS), read(c, SplitKeys.FOLDS),
                read(c, SplitKeys.FOLD)));
        TsConfig tsFiles = build(problems, () -> new TsConfig(read(c, TsKeys.TEST_PATH)));
        TextConfig text = build(problems, () -> new TextConfig(read(c, TextKeys.SEQUENCE_STEPS),
                read(c, TextKeys.STRIDE_STEPS), read(c, TextKeys.UNSEEN_CHARACTERS)));
        PrepareConfig prepare = null;
        if (Stream.of(input, ts, seq, split, tsFiles, text).allMatch(Objects::nonNull)) {
            prepare = build(problems, () -> new PrepareConfig(read(c, DatasetKeys.KIND), input, ts, seq, tsFiles, split,
                    read(c, PrepareKeys.NORMALIZE), read(c, PrepareKeys.MINIBATCH_SIZE), read(c, PrepareKeys.SEED),
                    text, read(c, PrepareKeys.PER_SEQUENCE), read(c, PrepareKeys.SEQUENCE_STATS)));
        }
        ModelSpec model = build(problems, () -> new ModelSpec(read(c, ModelKeys.CELL), read(c, ModelKeys.LAYERS),
                read(c, ModelKeys.DENSE_LAYERS), read(c, ModelKeys.BIDIRECTIONAL), read(c, ModelKeys.DROPOUT),
                read(c, ModelKeys.L2), read(c, ModelKeys.CLIPPING), read(c, ModelKeys.CLIP_THRESHOLD),
                read(c, ModelKeys.UPDATER), read(c, ModelKeys.LEARNING_RATE), read(c, ModelKeys.LR_DECAY_PER_EPOCH),
                read(c, ModelKeys.TBPTT_STEPS), read(c, ModelKeys.SEED), read(c, ModelKeys.KERNEL),
                read(c, ModelKeys.CONV_LAYERS), read(c, ModelKeys.CONV_KERNEL), read(c, ModelKeys.ENSEMBLE_MEMBERS),
                read(c, ModelKeys.POOLING)));
        TrainingConfig training = build(problems, () -> new TrainingConfig(read(c, TrainingKeys.EPOCHS),
                read(c, TrainingKeys.BATCH_SIZE_PER_WORKER), read(c, TrainingKeys.AVERAGING_FREQUENCY),
                read(c, TrainingKeys.WORKER_PREFETCH_BATCHES), read(c, TrainingKeys.SAVE_UPDATER),
                read(c, TrainingKeys.WORKERS), read(c, TrainingKeys.REPARTITION),
                read(c, TrainingKeys.COLLECT_TRAINING_STATS), read(c, TrainingKeys.EVAL_BATCH_SIZE),
                read(c, TrainingKeys.KEEP_BEST), read(c, TrainingKeys.PATIENCE), read(c, TrainingKeys.MIN_DELTA),
                read(c, TrainingKeys.METRIC), read(c, TrainingKeys.PROGRESS), read(c, TrainingKeys.SHRINK_TO_NAIVE),
                read(c, TrainingKeys.REUSE_WORKER_NETWORKS), read(c, TrainingKeys.AVERAGE_LAST_EPOCHS),
                read(c, TrainingKeys.AVERAGING_SECONDS), read(c, TrainingKeys.ROUNDS_PER_JOB),
                read(c, TrainingKeys.EXCHANGE_PORT)));
        SparkSettings spark = build(problems, () -> new SparkSettings(read(c, SparkKeys.MASTER),
                read(c, SparkKeys.APP_NAME), read(c, SparkKeys.CONF)));
        build(problems, () -> Redaction.of(c)); // its pattern must compile before anything is saved
        return problems.isEmpty() ? new Attempt(new JobConfig(prepare, model, training, spark, c), List.of())
                : new Attempt(null, problems);
    }

    /**
     * The resolved configuration as HOCON, for writing next to every output, with the values of secret Spark
     * properties replaced ({@link Redaction}): a saved configuration is read by whoever reads the output.
     */
    /**
     * The configuration member {@code k} (from 0) of an ensemble trains with ({@code model.ensembleMembers}): one
     * network, seeded {@code model.seed + k}; the rest as configured.
     */
    public JobConfig member(int k) {
        ModelSpec spec = model.member(k);
        Config memberRaw = raw.withValue(ModelKeys.SEED.key(), ConfigValueFactory.fromAnyRef(spec.seed()))
                .withValue(ModelKeys.ENSEMBLE_MEMBERS.key(), ConfigValueFactory.fromAnyRef(1));
        return new JobConfig(prepare, spec, training, spark, memberRaw);
    }

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

    /** {@code timeseries.missing}: a default policy and per-column overrides keyed by column name. */
    private static MissingConfig missing(Config c) {
        MissingConfig.Policy defaultPolicy = read(c, TimeSeriesKeys.MISSING_DEFAULT);
        List<String> names = TimeSeriesKeys.MISSING_DEFAULT.choices();
        Map<String, MissingConfig.Policy> columns = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : c.getConfig(TimeSeriesKeys.MISSING_COLUMNS.key()).root().entrySet()) {
            String key = TimeSeriesKeys.missingColumnKey(e.getKey());
            Object value = e.getValue().unwrapped();
            if (!(value instanceof String text)) {
                throw new IllegalArgumentException(InvalidSetting.message(key, e.getValue().render(),
                        "one of " + names));
            }
            try {
                columns.put(e.getKey(), MissingConfig.Policy.valueOf(text.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(InvalidSetting.message(key, InvalidSetting.quoted(text),
                        "one of " + names));
            }
        }
        return new MissingConfig(defaultPolicy, columns);
    }
}
