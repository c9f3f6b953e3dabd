package io.sparklstm.prep.config;

import io.sparklstm.model.settings.InvalidSetting;
import io.sparklstm.model.settings.Setting;

import java.io.Serializable;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A time-series table cut into forecasting windows: {@code windowSteps} rows of all feature columns as
 * input, the next {@code horizonSteps} rows of the target columns as labels.
 *
 * @param timestampColumn    name of the timestamp column (unused when {@code timestampColumns} is set); empty
 *                           (and no {@code timestampColumns}): the rows in file order are consecutive steps
 * @param timestampFormat    {@link java.time.format.DateTimeFormatter} pattern of the timestamps, and of
 *                           {@code split.trainEnd} and friends
 * @param featureColumns     numeric input columns; empty: every column except the timestamp, entity and
 *                           categorical columns
 * @param targetColumns      forecast targets, a subset of the numeric features; empty: all numeric features
 * @param windowSteps        input steps per window
 * @param horizonSteps       forecast steps per window
 * @param strideSteps        steps between the starts of consecutive windows of a series
 * @param targetOffset       NONE: targets are the standardized future values; LAST: the change from the last
 *                           input step's value. Errors are the same either way (the offset is known exactly);
 *                           LAST lets the network model changes, which generalizes across level shifts.
 * @param entityColumn       column naming the series a row belongs to (station, device); empty: one series
 * @param timestampColumns   the timestamp split across integer columns, by position: year, month, day,
 *                           hour, minute, second (a prefix of these, at least the year); empty: use
 *                           {@code timestampColumn} and {@code timestampFormat}
 * @param categoricalColumns text columns one-hot encoded with a vocabulary of the training split; inputs only
 * @param unseenCategory     what a categorical value absent from the training vocabulary does
 * @param missing            missing-value policy per numeric column
 * @param frequency          the step of the time axis: with one, a missing step is a missing row (its values are
 *                           missing and {@code missing} decides), and a timestamp off the grid is an error
 * @param duplicates         what rows of one series with the same timestamp do
 * @param season             the season in steps for the seasonal naive baseline and {@code targetOffset = SEASON};
 *                           0: none; {@link #AUTO_SEASON}: one day where the frequency is below a day and the
 *                           window holds a day
 */
public record TimeSeriesConfig(String timestampColumn, String timestampFormat, List<String> featureColumns,
                               List<String> targetColumns, int windowSteps, int horizonSteps, int strideSteps,
                               TargetOffset targetOffset, String entityColumn,
                               List<String> timestampColumns, List<String> categoricalColumns,
                               UnseenCategory unseenCategory, MissingConfig missing, Frequency frequency,
                               Duplicates duplicates, int season) implements Serializable {

    /** {@code timeseries.season = auto}: one day, where the frequency is below a day and the window holds one. */
    public static final int AUTO_SEASON = -1;

    /** Names of the components of a timestamp split across columns, in the order they are given. */
    public static final List<String> TIMESTAMP_COMPONENTS = List.of("year", "month", "day", "hour", "minute", "second");

    /**
     * What forecast targets are measured from: nothing, the last input step's value, or the seasonal naive
     * forecast (the value one season before), so that an all-zero output is that baseline; AUTO: LAST or SEASON,
     * whichever naive forecast has the lower error on the training split.
     */
    public enum TargetOffset { NONE, LAST, SEASON, AUTO }

    /** What a categorical value that the training split never had does. */
    public enum UnseenCategory {
        /** An input-data error naming file, line, column and value. */
        ERROR,
        /** All zeros in the column's one-hot channels (counted in the manifest). */
        ZERO
    }

    /** One series, a single timestamp column, no categorical columns; missing values fail. */
    public TimeSeriesConfig(String timestampColumn, String timestampFormat, List<String> featureColumns,
                            List<String> targetColumns, int windowSteps, int horizonSteps, int strideSteps,
                            TargetOffset targetOffset) {
        this(timestampColumn, timestampFormat, featureColumns, targetColumns, windowSteps, horizonSteps, strideSteps,
                targetOffset, "", List.of(), List.of(), UnseenCategory.ERROR, MissingConfig.failing());
    }

    /** The frequency found in the data, and duplicate timestamps failing, as by default. */
    public TimeSeriesConfig(String timestampColumn, String timestampFormat, List<String> featureColumns,
                            List<String> targetColumns, int windowSteps, int horizonSteps, int strideSteps,
                            TargetOffset targetOffset, String entityColumn, List<String> timestampColumns,
                            List<String> categoricalColumns, UnseenCategory unseenCategory, MissingConfig missing) {
        this(timestampColumn, timestampFormat, featureColumns, targetColumns, windowSteps, horizonSteps, strideSteps,
                targetOffset, entityColumn, timestampColumns, categoricalColumns, unseenCategory, missing,
                Frequency.AUTO, Duplicates.FAIL, AUTO_SEASON);
    }

    public TimeSeriesConfig {
        timestampColumns = List.copyOf(timestampColumns);
        timestampColumn = timestampColumn == null ? "" : timestampColumn.trim();
        Settings.check(TimeSeriesKeys.TIMESTAMP_FORMAT, timestampFormat);
        Settings.check(TimeSeriesKeys.TIMESTAMP_COLUMNS, timestampColumns);
        featureColumns = List.copyOf(featureColumns);
        targetColumns = List.copyOf(targetColumns);
        categoricalColumns = List.copyOf(categoricalColumns);
        entityColumn = entityColumn == null ? "" : entityColumn.trim();
        Settings.check(TimeSeriesKeys.WINDOW_STEPS, windowSteps);
        Settings.check(TimeSeriesKeys.HORIZON_STEPS, horizonSteps);
        Settings.check(TimeSeriesKeys.STRIDE_STEPS, strideSteps);
        if (targetOffset == null) throw Settings.invalid(TimeSeriesKeys.TARGET_OFFSET, null, "none or last");
        if (unseenCategory == null) throw Settings.invalid(TimeSeriesKeys.UNSEEN_CATEGORY, null, "error or zero");
        if (missing == null) {
            throw new InvalidSettingsException(InvalidSetting.message("timeseries.missing", "null",
                    "the missing section"));
        }
        if (frequency == null) throw Settings.invalid(TimeSeriesKeys.FREQUENCY, null, "auto, none or a duration");
        if (duplicates == null) {
            throw Settings.invalid(TimeSeriesKeys.DUPLICATES, null, "fail, first, last, mean or quarantine");
        }
        if (season < AUTO_SEASON) {
            throw Settings.invalid(TimeSeriesKeys.SEASON, season, "auto, 0 (none) or a number of steps");
        }
        if (season > windowSteps) {
            throw Settings.invalid(TimeSeriesKeys.SEASON, season, "at most timeseries.windowSteps = " + windowSteps
                    + " steps: the seasonal naive forecast reads the value one season back in the window");
        }
        if (targetOffset == TargetOffset.SEASON && season == 0) {
            throw Settings.invalid(TimeSeriesKeys.TARGET_OFFSET, "season", "none or last when timeseries.season = 0");
        }
        if (timestampColumn.isEmpty() && timestampColumns.isEmpty() && frequency.fixed()) {
            throw Settings.invalid(TimeSeriesKeys.FREQUENCY, frequency.toString(), "auto or none when "
                    + "timeseries.timestampColumn is empty (rows in file order are consecutive steps; there are no "
                    + "timestamps to put on a grid)");
        }
        if (!featureColumns.isEmpty()) {
            for (String target : targetColumns) {
                if (!featureColumns.contains(target)) {
                    throw Settings.invalid(TimeSeriesKeys.TARGET_COLUMNS, targetColumns,
                            "columns that are also in timeseries.featureColumns " + featureColumns);
                }
            }
        }
        List<String> time = !timestampColumns.isEmpty() ? timestampColumns
                : timestampColumn.isEmpty() ? List.of() : List.of(timestampColumn);
        for (String c : featureColumns) {
            if (time.contains(c) || c.equals(entityColumn) || categoricalColumns.contains(c)) {
                throw Settings.invalid(TimeSeriesKeys.FEATURE_COLUMNS, featureColumns, "numeric columns other than the "
                        + "timestamp " + time + ", entity and categorical columns (categorical columns are listed "
                        + "only in timeseries.categoricalColumns)");
            }
        }
        for (String c : categoricalColumns) {
            if (targetColumns.contains(c)) {
                throw Settings.invalid(TimeSeriesKeys.TARGET_COLUMNS, targetColumns,
                        "no categorical column (" + c + "): categorical columns are inputs only");
            }
            if (time.contains(c) || c.equals(entityColumn)) {
                throw Settings.invalid(TimeSeriesKeys.CATEGORICAL_COLUMNS, categoricalColumns,
                        "columns other than the timestamp and entity columns");
            }
        }
        Set<String> distinct = new HashSet<>(categoricalColumns);
        if (distinct.size() != categoricalColumns.size()) {
            throw Settings.invalid(TimeSeriesKeys.CATEGORICAL_COLUMNS, categoricalColumns, "no column twice");
        }
        if (!entityColumn.isEmpty() && time.contains(entityColumn)) {
            throw Settings.invalid(TimeSeriesKeys.ENTITY_COLUMN, entityColumn, "a column other than the timestamp");
        }
    }

    /** Rows one window spans: input and horizon. */
    public int spanSteps() {
        return windowSteps + horizonSteps;
    }

    public boolean hasEntities() {
        return !entityColumn.isEmpty();
    }

    /** The column(s) the timestamp is read from; none when rows are steps in file order. */
    public List<String> timeColumns() {
        if (!timestampColumns.isEmpty()) return timestampColumns;
        return timestampColumn.isEmpty() ? List.of() : List.of(timestampColumn);
    }

    /**
     * Whether the table has no timestamp: {@code timestampColumn} is empty (and no {@code timestampColumns}), so the
     * rows, in file order with the files in name order, are the consecutive steps of their series.
     */
    public boolean rowOrder() {
        return timeColumns().isEmpty();
    }

    /** The frequency in effect: none for a table in row order, whose steps are its rows. */
    public Frequency effectiveFrequency() {
        return rowOrder() ? Frequency.NONE : frequency;
    }

    /**
     * The season in steps on an axis of {@code stepSeconds} (0 for none): the configured one, or for auto one day
     * where the step divides a day and the window holds a day, else none.
     */
    public int resolvedSeason(long stepSeconds) {
        if (season != AUTO_SEASON) return season;
        if (stepSeconds <= 0 || stepSeconds >= 86_400 || 86_400 % stepSeconds != 0) return 0;
        long day = 86_400 / stepSeconds;
        return day <= windowSteps ? (int) day : 0;
    }

    /** Reads {@code timeseries.season}: auto, or a whole number of steps (0: none). */
    public static int parseSeason(String text) {
        String t = text == null ? "" : text.trim();
        if (t.equalsIgnoreCase("auto")) return AUTO_SEASON;
        try {
            int s = Integer.parseInt(t);
            if (s >= 0) return s;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw Settings.invalid(TimeSeriesKeys.SEASON, text, "auto, 0 (none) or a number of steps");
    }

    /**
     * The cross-key checks of {@code dataset.kind = timeseries}, run by {@link PrepareConfig}'s constructor: the
     * split follows time, the split dates parse and increase, and the settings of the other kinds are left unset.
     */
    static void validateKind(PrepareConfig config) {
        SplitConfig split = config.split();
        PrepareConfig.requireSplit(split, "timeseries", "a random split would leak the future into training",
                SplitConfig.Method.TIME, SplitConfig.Method.ENTITY);
        PrepareConfig.refuseCaseInputs(config);
        PrepareConfig.refuseTestPath(config.ts());
        if (config.timeseries().rowOrder() && split.byDates()) {
            throw Settings.invalid(SplitKeys.TRAIN_END, split.trainEnd(), "empty when timeseries.timestampColumn is "
                    + "empty: rows without timestamps are split by split.fractions");
        }
        if (split.byDates()) checkSplitDates(split, config.timeseries().timestampFormat());
    }

    /**
     * The split boundaries must parse with the timestamp format and increase, before any Spark work: every one at
     * fault is named.
     */
    private static void checkSplitDates(SplitConfig split, String pattern) {
        List<Setting<String>> keys = List.of(SplitKeys.TRAIN_END, SplitKeys.VALIDATION_END, SplitKeys.TEST_END);
        List<String> texts = List.of(split.trainEnd(), split.validationEnd(), split.testEnd());
        DateTimeFormatter format = DateTimeFormatter.ofPattern(pattern);
        List<String> problems = new ArrayList<>();
        LocalDateTime[] times = new LocalDateTime[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            if (texts.get(i).isEmpty()) continue;
            try {
                times[i] = time(format.parse(texts.get(i)));
            } catch (DateTimeException e) {
                problems.add(keys.get(i).message(texts.get(i),
                        "a timestamp in the format timeseries.timestampFormat = \"" + pattern + "\""));
            }
        }
        for (int i = 1; i < keys.size(); i++) {
            if (times[i] != null && times[i - 1] != null && !times[i].isAfter(times[i - 1])) {
                problems.add(keys.get(i).message(texts.get(i), "a time after " + keys.get(i - 1).key() + " = "
                        + InvalidSetting.quoted(texts.get(i - 1))));
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
