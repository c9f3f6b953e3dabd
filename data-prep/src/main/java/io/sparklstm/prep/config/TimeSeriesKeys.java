package io.sparklstm.prep.config;

import io.sparklstm.model.settings.Section;
import io.sparklstm.model.settings.Setting;
import io.sparklstm.model.settings.Validator;

import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.sparklstm.model.settings.Validator.of;

/**
 * The {@code timeseries} section of the configuration, which {@link TimeSeriesConfig} holds and checks with these;
 * what relates two keys (targets among the features, the season within the window, ...) it checks itself.
 */
public final class TimeSeriesKeys {

    private TimeSeriesKeys() {
    }

    /** Checked trimmed. */
    public static final Setting<String> TIMESTAMP_COLUMN = Setting.text("timeseries.timestampColumn", "date",
            Validator.any(), """
            the timestamp column; empty (and timestampColumns empty): the table has no timestamps, and its rows, in
            file order with the files in name order, are the consecutive steps of their series (split.fractions only)
            """);
    public static final Setting<String> TIMESTAMP_FORMAT = Setting.text("timeseries.timestampFormat",
            "yyyy-MM-dd HH:mm:ss", Validator.nonBlank().and(TimeSeriesKeys::pattern),
            """
            java.time pattern of the timestamp column; also used for split.trainEnd and friends
            """);
    public static final Setting<List<String>> TIMESTAMP_COLUMNS = Setting.texts("timeseries.timestampColumns",
            List.of(), of(columns -> columns.size() <= TimeSeriesConfig.TIMESTAMP_COMPONENTS.size(), "at most "
                    + TimeSeriesConfig.TIMESTAMP_COMPONENTS.size() + " columns, in the order "
                    + TimeSeriesConfig.TIMESTAMP_COMPONENTS), """
            the timestamp split across integer columns instead, by position: year, month, day, hour, minute, second
            (a prefix of these, e.g. ["year", "month", "day", "hour"]; absent components are 1 for month and day, 0
            for the rest); the names are those of the columns. Empty: timestampColumn and timestampFormat
            """);
    /** Checked trimmed. */
    public static final Setting<String> ENTITY_COLUMN = Setting.text("timeseries.entityColumn", "", Validator.any(),
            """
            column naming the series a row belongs to (station, device); empty: the table is one series. Rows are
            ordered by (entity, time); a window never mixes series
            """);
    public static final Setting<List<String>> FEATURE_COLUMNS = Setting.texts("timeseries.featureColumns", List.of(),
            """
            numeric input columns; empty: every column but the timestamp, entity and categorical columns
            """);
    public static final Setting<List<String>> CATEGORICAL_COLUMNS = Setting.texts("timeseries.categoricalColumns",
            List.of(), """
            text columns one-hot encoded as inputs (never targets), with the values seen in the training split
            """);
    public static final Setting<TimeSeriesConfig.UnseenCategory> UNSEEN_CATEGORY = Setting.choice(
            "timeseries.unseenCategory", TimeSeriesConfig.UnseenCategory.class, TimeSeriesConfig.UnseenCategory.ERROR,
            """
            a categorical value the training split never had: error (names file, line and value) or zero (all zeros)
            """);
    public static final Setting<List<String>> TARGET_COLUMNS = Setting.texts("timeseries.targetColumns", List.of(),
            """
            forecast targets, a subset of the numeric features; empty: all numeric features
            """);
    public static final Setting<Integer> WINDOW_STEPS = Setting.integer("timeseries.windowSteps", 96,
            Validator.positive(), """
            input steps per window
            """);
    public static final Setting<Integer> HORIZON_STEPS = Setting.integer("timeseries.horizonSteps", 24,
            Validator.positive(), """
            steps forecast after each window
            """);
    public static final Setting<Integer> STRIDE_STEPS = Setting.integer("timeseries.strideSteps", 1,
            Validator.positive(), """
            steps between the starts of consecutive windows of a series
            """);
    public static final Setting<TimeSeriesConfig.TargetOffset> TARGET_OFFSET = Setting.choice(
            "timeseries.targetOffset", TimeSeriesConfig.TargetOffset.class, TimeSeriesConfig.TargetOffset.AUTO,
            """
            none: targets are the standardized future values; last: their change from the last input step;
            season: their difference from the value one season earlier (the seasonal naive forecast, so that an
            all-zero output is that baseline; needs a season); auto: last or season, whichever naive forecast has the
            lower error on the training split (recorded in the manifest). Errors are identical either way; an offset
            lets the network learn what the naive forecast misses rather than levels.
            """);
    /** Read by {@link TimeSeriesConfig#parseSeason}; at most the window, which {@link TimeSeriesConfig} checks. */
    public static final Setting<String> SEASON = Setting.text("timeseries.season", "auto",
            of(TimeSeriesKeys::season, "auto, 0 (none) or a number of steps"), """
            the season in steps, for the seasonal naive baseline every forecast is compared with and for
            targetOffset = "season": auto (one day, where the step divides a day and windowSteps holds a day; the
            steps it found are recorded in the manifest), 0 (none), or a number of steps (at most windowSteps)
            """);
    /** Read by {@link Frequency#parse}, whose message says what is wrong with a duration. */
    public static final Setting<String> FREQUENCY = Setting.text("timeseries.frequency", "auto",
            of(Frequency::parses, Frequency.EXPECTED), """
            the step of the time axis. auto: the most common step between consecutive rows of a series (in the
            training split when split.trainEnd is set, else over all rows), recorded in the manifest; a duration
            (30s, 10min, 1h, 1d, 1w); none: consecutive rows are consecutive steps, whatever their timestamps.
            With a step, a missing step is a missing row: it is inserted with all values missing, and
            timeseries.missing decides (interpolate, ffill, drop_windows, or fail naming the gap), so no window
            spans a gap unfilled; a timestamp off the grid (not a whole number of steps after the series' previous
            one) fails naming file and line. The manifest counts inserted steps (per series), gaps and the longest.
            predict uses the step recorded in the model.
            """);
    public static final Setting<Duplicates> DUPLICATES = Setting.choice("timeseries.duplicates", Duplicates.class,
            Duplicates.FAIL, """
            rows of one series with the same timestamp. fail: exit code 3 naming both lines; first / last: keep the
            first / last in input order (files in name order, lines in order); mean: the mean of the present numeric
            values (categorical: the first present); quarantine: every row of that timestamp to rejected/ with its
            reason, and the timestamp becomes a missing step. The manifest counts them.
            """);
    public static final Setting<MissingConfig.Policy> MISSING_DEFAULT = Setting.choice("timeseries.missing.default",
            MissingConfig.Policy.class, MissingConfig.Policy.FAIL, """
            fail: exit code 3 naming file, line and column;
            drop_windows: windows whose inputs or forecast targets touch a missing value are not emitted;
            ffill: the last present value of the same series (missing values before the first one drop windows);
            interpolate: linear in row order between the nearest present values of the same series (edges drop)
            """);
    /** Free-form: a policy (one of {@link #MISSING_DEFAULT}'s choices) by column name. */
    public static final Setting<Map<String, String>> MISSING_COLUMNS = Setting.section("timeseries.missing.columns",
            """
            per-column overrides, e.g. columns { "pm2.5" = "interpolate" }
            """);

    public static final Section SECTION = new Section("timeseries", List.of(TIMESTAMP_COLUMN, TIMESTAMP_FORMAT,
            TIMESTAMP_COLUMNS, ENTITY_COLUMN, FEATURE_COLUMNS, CATEGORICAL_COLUMNS, UNSEEN_CATEGORY, TARGET_COLUMNS,
            WINDOW_STEPS, HORIZON_STEPS, STRIDE_STEPS, TARGET_OFFSET, SEASON, FREQUENCY, DUPLICATES, MISSING_DEFAULT,
            MISSING_COLUMNS));

    /** The key of one column's missing-value policy, quoted as column names may hold dots. */
    public static String missingColumnKey(String column) {
        return MISSING_COLUMNS.key() + ".\"" + column + "\"";
    }

    private static Optional<String> pattern(String format) {
        try {
            DateTimeFormatter.ofPattern(format);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of("a java.time pattern such as yyyy-MM-dd HH:mm:ss (" + e.getMessage() + ")");
        }
    }

    private static boolean season(String text) {
        try {
            TimeSeriesConfig.parseSeason(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
