package io.sparklstm.prep.config;

import java.io.Serializable;

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
 */
public record PrepareConfig(DatasetKind kind, InputConfig input, TimeSeriesConfig timeseries,
                            SequencesConfig sequences, TsConfig ts, SplitConfig split, boolean normalize,
                            int minibatchSize, long seed, TextConfig text) implements Serializable {

    /** Settings of a kind other than TEXT: the text section keeps its defaults. */
    public PrepareConfig(DatasetKind kind, InputConfig input, TimeSeriesConfig timeseries, SequencesConfig sequences,
                         TsConfig ts, SplitConfig split, boolean normalize, int minibatchSize, long seed) {
        this(kind, input, timeseries, sequences, ts, split, normalize, minibatchSize, seed, TextConfig.DEFAULTS);
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
        if (ts.hasTestPath() && kind != DatasetKind.TS) {
            throw Settings.invalid("ts.testPath", ts.testPath(), "empty unless dataset.kind = ts");
        }
        if (kind == DatasetKind.TIMESERIES && timeseries.rowOrder() && split.byDates()) {
            throw Settings.invalid("split.trainEnd", split.trainEnd(), "empty when timeseries.timestampColumn is "
                    + "empty: rows without timestamps are split by split.fractions");
        }
        if (kind == DatasetKind.TIMESERIES && split.byDates()) {
            checkTimestamp("split.trainEnd", split.trainEnd(), timeseries.timestampFormat());
            checkTimestamp("split.validationEnd", split.validationEnd(), timeseries.timestampFormat());
            checkTimestamp("split.testEnd", split.testEnd(), timeseries.timestampFormat());
        }
    }

    /** A split boundary must parse with the timestamp format before any Spark work. */
    private static void checkTimestamp(String key, String text, String pattern) {
        if (text.isEmpty()) return;
        try {
            java.time.format.DateTimeFormatter format = java.time.format.DateTimeFormatter.ofPattern(pattern);
            format.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw Settings.invalid(key, text, "a timestamp in the format timeseries.timestampFormat = \"" + pattern + "\"");
        } catch (IllegalArgumentException e) {
            throw Settings.invalid("timeseries.timestampFormat", pattern, "a java.time pattern (" + e.getMessage() + ")");
        }
    }
}
