package io.sparklstm.prep.config;

import io.sparklstm.model.settings.InvalidSetting;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Optional;

/**
 * Everything {@code prepare} needs, apart from where to write.
 *
 * @param kind          dataset kind
 * @param input         raw input
 * @param timeseries    settings of the TIMESERIES kind
 * @param sequences     settings of the SEQUENCES kind
 * @param ts            settings of the TS kind (sktime/UEA {@code .ts} files)
 * @param split         train/validation/test split
 * @param normalize     standardize each feature with statistics of the training split
 * @param minibatchSize examples per minibatch file
 * @param seed          seed of the random split and of the shuffling of training examples
 * @param text          settings of the TEXT kind (character-level text)
 * @param perSequence   what each sequence of the sequence kinds undergoes with its own statistics, before the
 *                      normalizer (which is fitted on the sequences so transformed)
 * @param sequenceStats sequence kinds: each channel's mean and standard deviation over the sequence follow its
 *                      channels as inputs constant over its steps
 */
public record PrepareConfig(DatasetKind kind, InputConfig input, TimeSeriesConfig timeseries,
                            SequencesConfig sequences, TsConfig ts, SplitConfig split, boolean normalize,
                            int minibatchSize, long seed, TextConfig text, PerSequence perSequence,
                            boolean sequenceStats) implements Serializable {

    /** Settings of a kind other than TEXT: the text section keeps its defaults. */
    public PrepareConfig(DatasetKind kind, InputConfig input, TimeSeriesConfig timeseries, SequencesConfig sequences,
                         TsConfig ts, SplitConfig split, boolean normalize, int minibatchSize, long seed) {
        this(kind, input, timeseries, sequences, ts, split, normalize, minibatchSize, seed, TextConfig.DEFAULTS);
    }

    /** Settings whose sequences, if any, are taken as they are (no {@code prepare.perSequence}, no statistics). */
    public PrepareConfig(DatasetKind kind, InputConfig input, TimeSeriesConfig timeseries, SequencesConfig sequences,
                         TsConfig ts, SplitConfig split, boolean normalize, int minibatchSize, long seed,
                         TextConfig text) {
        this(kind, input, timeseries, sequences, ts, split, normalize, minibatchSize, seed, text, PerSequence.NONE,
                false);
    }

    /** The same settings with another {@code prepare.perSequence} and {@code prepare.sequenceStats}. */
    public PrepareConfig withSequenceInputs(PerSequence transform, boolean stats) {
        return new PrepareConfig(kind, input, timeseries, sequences, ts, split, normalize, minibatchSize, seed, text,
                transform, stats);
    }

    /**
     * Checks the settings that hold for every kind, then the kind's own cross-key checks; written out in full (not
     * compact) so that the kind's checks see the record with every component set.
     */
    public PrepareConfig(DatasetKind kind, InputConfig input, TimeSeriesConfig timeseries, SequencesConfig sequences,
                         TsConfig ts, SplitConfig split, boolean normalize, int minibatchSize, long seed,
                         TextConfig text, PerSequence perSequence, boolean sequenceStats) {
        if (kind == null) throw Settings.invalid(DatasetKeys.KIND, null, "timeseries, sequences, ts or text");
        Settings.check(PrepareKeys.MINIBATCH_SIZE, minibatchSize);
        if (split.method() == SplitConfig.Method.ENTITY && !timeseries.hasEntities()) {
            throw Settings.invalid(SplitKeys.METHOD, "entity", "time unless timeseries.entityColumn names the series");
        }
        if (text == null) throw section("text");
        if (ts == null) throw section("ts");
        if (perSequence == null) {
            throw Settings.invalid(PrepareKeys.PER_SEQUENCE, null, "none, center or standardize");
        }
        this.kind = kind;
        this.input = input;
        this.timeseries = timeseries;
        this.sequences = sequences;
        this.ts = ts;
        this.split = split;
        this.normalize = normalize;
        this.minibatchSize = minibatchSize;
        this.seed = seed;
        this.text = text;
        this.perSequence = perSequence;
        this.sequenceStats = sequenceStats;
        kind.validate(this);
    }

    /** A section missing altogether: only a caller in code can leave one out. */
    private static InvalidSettingsException section(String name) {
        return new InvalidSettingsException(InvalidSetting.message(name, "null", "the " + name + " section"));
    }

    /** A kind whose splits have no series of their own refuses {@code split.method = entity}. */
    static void refuseEntitySplit(SplitConfig split) {
        if (split.method() == SplitConfig.Method.ENTITY) {
            throw Settings.invalid(SplitKeys.METHOD, "entity", "time or entity only for dataset.kind = timeseries");
        }
    }

    /** A kind that reads lines of text refuses {@code input.format = parquet}. */
    static void refuseParquet(InputConfig input) {
        if (input.format() != InputConfig.Format.CSV) {
            throw Settings.invalid(InputKeys.FORMAT, "parquet", "csv unless dataset.kind = timeseries");
        }
    }

    /** A kind without cases of their own refuses what is done to each case ({@code prepare.perSequence}, stats). */
    static void refuseCaseInputs(PrepareConfig config) {
        if (config.perSequence() != PerSequence.NONE) {
            throw Settings.invalid(PrepareKeys.PER_SEQUENCE, config.perSequence().key(), "none unless dataset.kind = "
                    + "sequences or ts (a window of a time-series table or a text is not a case of its own)");
        }
        if (config.sequenceStats()) {
            throw Settings.invalid(PrepareKeys.SEQUENCE_STATS, true, "false unless dataset.kind = sequences or ts (a "
                    + "window of a time-series table or a text is not a case of its own)");
        }
    }

    /** A kind other than ts refuses a separate test file. */
    static void refuseTestPath(TsConfig ts) {
        if (ts.hasTestPath()) {
            throw Settings.invalid(TsKeys.TEST_PATH, ts.testPath(), "empty unless dataset.kind = ts");
        }
    }

    /** A split method other than the ones a kind divides its data by fails, with the reason it has no other. */
    static void requireSplit(SplitConfig split, String kind, String reason, SplitConfig.Method... methods) {
        List<SplitConfig.Method> allowed = List.of(methods);
        if (!allowed.contains(split.method())) {
            String names = String.join(" or ", allowed.stream().map(m -> m.name().toLowerCase()).toList());
            throw Settings.invalid(SplitKeys.METHOD, split.method().name().toLowerCase(),
                    names + " for dataset.kind = " + kind + " (" + reason + ")");
        }
    }

    /**
     * What share of the data {@code split.fractions} leave out of every split, as a warning for the console; empty
     * when they use it all, or when they do not divide the data (end dates; a separate {@code ts.testPath}, which
     * leaves the input to train and validation).
     */
    public Optional<String> unassignedWarning() {
        // only a ts dataset has a test path (the constructor refuses it for the other kinds)
        if (split.byDates() || ts.hasTestPath()) return Optional.empty();
        double sum = split.fractions().stream().mapToDouble(Double::doubleValue).sum();
        if (1 - sum <= SplitConfig.SUM_TOLERANCE) return Optional.empty();
        return Optional.of("split.fractions = " + split.fractions() + " sum to " + rounded(sum) + ": "
                + rounded(100 * (1 - sum)) + "% of the data is in no split and is not used");
    }

    private static String rounded(double value) {
        return new BigDecimal(value).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** The same path written two ways ({@code data//x.ts}, {@code data/./x.ts}); files matched twice are found later. */
    static boolean samePath(String a, String b) {
        if (a.isEmpty() || b.isEmpty()) return false;
        try {
            return new org.apache.hadoop.fs.Path(a).equals(new org.apache.hadoop.fs.Path(b));
        } catch (IllegalArgumentException e) {
            return a.equals(b);
        }
    }
}
