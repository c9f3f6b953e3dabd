package io.sparklstm.prep.config;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
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

    public PrepareConfig {
        if (kind == null) throw Settings.invalid("dataset.kind", null, "timeseries, sequences, ts or text");
        Settings.positive("prepare.minibatchSize", minibatchSize);
        if (kind == DatasetKind.TIMESERIES && split.method() == SplitConfig.Method.RANDOM) {
            throw Settings.invalid("split.method", split.method().name().toLowerCase(),
                    "time or entity for dataset.kind = timeseries (a random split would leak the future into "
                            + "training)");
        }
        if (split.method() == SplitConfig.Method.ENTITY && !timeseries.hasEntities()) {
            throw Settings.invalid("split.method", "entity", "time unless timeseries.entityColumn names the series");
        }
        if (kind != DatasetKind.TIMESERIES && split.method() == SplitConfig.Method.ENTITY) {
            throw Settings.invalid("split.method", "entity", "time or entity only for dataset.kind = timeseries");
        }
        if (kind == DatasetKind.TEXT && input.quarantine()) {
            throw Settings.invalid("input.onBadRecord", "quarantine", "fail for dataset.kind = text: text has no "
                    + "records to set aside, every character is part of the sequences, and dropping the ones "
                    + "that are not valid in input.encoding would corrupt them (the job stops at the first such "
                    + "line, naming file and line; quarantine is for timeseries, sequences and ts)");
        }
        if (kind != DatasetKind.TIMESERIES && input.format() != InputConfig.Format.CSV) {
            throw Settings.invalid("input.format", "parquet", "csv unless dataset.kind = timeseries");
        }
        if (kind == DatasetKind.SEQUENCES && split.method() != SplitConfig.Method.RANDOM) {
            throw Settings.invalid("split.method", split.method().name().toLowerCase(),
                    "random for dataset.kind = sequences (lines carry no timestamp)");
        }
        if (kind == DatasetKind.TS && split.method() != SplitConfig.Method.RANDOM) {
            throw Settings.invalid("split.method", split.method().name().toLowerCase(),
                    "random for dataset.kind = ts (cases carry no time of their own)");
        }
        if (kind == DatasetKind.TEXT && split.method() != SplitConfig.Method.TIME) {
            throw Settings.invalid("split.method", split.method().name().toLowerCase(),
                    "time for dataset.kind = text (the text is split by position, in blocks)");
        }
        if (kind == DatasetKind.TEXT && split.byDates()) {
            throw Settings.invalid("split.trainEnd", split.trainEnd(),
                    "empty for dataset.kind = text (text has no timestamps; use split.fractions)");
        }
        if (text == null) throw Settings.invalid("text", null, "the text section");
        if (ts == null) throw Settings.invalid("ts", null, "the ts section");
        if (perSequence == null) throw Settings.invalid("prepare.perSequence", null, "none, center or standardize");
        boolean sequenceKind = kind == DatasetKind.SEQUENCES || kind == DatasetKind.TS;
        if (perSequence != PerSequence.NONE && !sequenceKind) {
            throw Settings.invalid("prepare.perSequence", perSequence.key(), "none unless dataset.kind = sequences or "
                    + "ts (a window of a time-series table or a text is not a case of its own)");
        }
        if (sequenceStats && !sequenceKind) {
            throw Settings.invalid("prepare.sequenceStats", true, "false unless dataset.kind = sequences or ts (a "
                    + "window of a time-series table or a text is not a case of its own)");
        }
        if (ts.hasTestPath() && kind != DatasetKind.TS) {
            throw Settings.invalid("ts.testPath", ts.testPath(), "empty unless dataset.kind = ts");
        }
        if (kind == DatasetKind.TIMESERIES && timeseries.rowOrder() && split.byDates()) {
            throw Settings.invalid("split.trainEnd", split.trainEnd(), "empty when timeseries.timestampColumn is "
                    + "empty: rows without timestamps are split by split.fractions");
        }
        if (ts.hasTestPath() && samePath(input.path(), ts.testPath())) {
            throw Settings.invalid("ts.testPath", ts.testPath(), "other files than input.path = "
                    + Settings.shown(input.path()) + " (a case cannot be in training and test)");
        }
        if (kind == DatasetKind.TIMESERIES && split.byDates()) {
            checkSplitDates(split, timeseries.timestampFormat());
        }
    }

    /**
     * What share of the data {@code split.fractions} leave out of every split, as a warning for the console; empty
     * when they use it all, or when they do not divide the data (end dates; a separate {@code ts.testPath}, which
     * leaves the input to train and validation).
     */
    public Optional<String> unassignedWarning() {
        if (split.byDates() || (kind == DatasetKind.TS && ts.hasTestPath())) return Optional.empty();
        double sum = split.fractions().stream().mapToDouble(Double::doubleValue).sum();
        if (1 - sum <= SplitConfig.SUM_TOLERANCE) return Optional.empty();
        return Optional.of("split.fractions = " + split.fractions() + " sum to " + rounded(sum) + ": "
                + rounded(100 * (1 - sum)) + "% of the data is in no split and is not used");
    }

    private static String rounded(double value) {
        return new BigDecimal(value).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** The same path written two ways ({@code data//x.ts}, {@code data/./x.ts}); files matched twice are found later. */
    private static boolean samePath(String a, String b) {
        if (a.isEmpty() || b.isEmpty()) return false;
        try {
            return new org.apache.hadoop.fs.Path(a).equals(new org.apache.hadoop.fs.Path(b));
        } catch (IllegalArgumentException e) {
            return a.equals(b);
        }
    }

    /**
     * The split boundaries must parse with the timestamp format and increase, before any Spark work: every one at
     * fault is named.
     */
    private static void checkSplitDates(SplitConfig split, String pattern) {
        List<String> keys = List.of("split.trainEnd", "split.validationEnd", "split.testEnd");
        List<String> texts = List.of(split.trainEnd(), split.validationEnd(), split.testEnd());
        DateTimeFormatter format = DateTimeFormatter.ofPattern(pattern);
        List<String> problems = new ArrayList<>();
        LocalDateTime[] times = new LocalDateTime[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            if (texts.get(i).isEmpty()) continue;
            try {
                times[i] = time(format.parse(texts.get(i)));
            } catch (DateTimeException e) {
                problems.add(Settings.problem(keys.get(i), texts.get(i),
                        "a timestamp in the format timeseries.timestampFormat = \"" + pattern + "\""));
            }
        }
        for (int i = 1; i < keys.size(); i++) {
            if (times[i] != null && times[i - 1] != null && !times[i].isAfter(times[i - 1])) {
                problems.add(Settings.problem(keys.get(i), texts.get(i), "a time after " + keys.get(i - 1) + " = "
                        + Settings.shown(texts.get(i - 1))));
            }
        }
        if (!problems.isEmpty()) throw new InvalidSettingsException(problems);
    }

    /** A parsed timestamp as a time; a date alone is its start, as the timestamp column's are read. */
    private static LocalDateTime time(TemporalAccessor parsed) {
        try {
            return LocalDateTime.from(parsed);
        } catch (DateTimeException e) {
            return LocalDate.from(parsed).atStartOfDay();
        }
    }
}
