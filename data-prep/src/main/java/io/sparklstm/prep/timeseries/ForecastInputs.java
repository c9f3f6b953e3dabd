package io.sparklstm.prep.timeseries;

import io.sparklstm.model.data.Preparation;
import io.sparklstm.model.data.Standardizer;
import io.sparklstm.prep.PartitionCounts;
import io.sparklstm.prep.ScoringCases;
import io.sparklstm.prep.Tally;
import io.sparklstm.prep.config.MissingConfig;
import io.sparklstm.prep.config.PrepareConfig;
import io.sparklstm.prep.config.TimeSeriesConfig;
import io.sparklstm.prep.io.InputDataException;
import io.sparklstm.prep.io.InputFiles;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * New time-series data made into a forecasting model's input windows, for scoring: parsed, ordered, filled
 * and one-hot encoded exactly as {@link TimeSeriesPreparer} does, but with the model's stored normalizer and
 * vocabularies, and cut into windows of {@code windowSteps} rows that need no future rows: one ending at
 * every row of a series (a forecast from every point in time), or only at each series' last row.
 *
 * <p>The data's columns are checked against the model's before any Spark stage: a missing column, a
 * channel list or target list that differs from the model's, or a Parquet feature column that is not
 * numeric is an {@link InputDataException} (exit code 3). Windows that touch a value still missing after the
 * configured filling are not scored and are counted.
 */
public final class ForecastInputs implements ScoringCases.Windows {

    /**
     * One window to score.
     *
     * @param entity      its series ("" for a table of one series)
     * @param time        epoch seconds (UTC) of its last input row: the time the forecast is made from
     * @param file        file of that row
     * @param line        line (row) of that row in its file
     * @param features    standardized inputs, channel-major: {@code [c * windowSteps + t]}
     * @param lastTargets standardized value of each target at the last input row, for
     *                    {@code timeseries.targetOffset = last}
     */
    public record Window(String entity, long time, String file, long line, float[] features, double[] lastTargets)
            implements Serializable {

    }

    /**
     * A window's time as text: with {@code pattern} (the input's {@code timeseries.timestampFormat}, so that
     * predictions join back to the input's rows), or ISO-8601 ({@code 2016-07-01T00:00:00}) when empty.
     */
    public static String formatTime(long epochSeconds, String pattern) {
        java.time.LocalDateTime t = java.time.LocalDateTime.ofEpochSecond(epochSeconds, 0, java.time.ZoneOffset.UTC);
        return pattern.isEmpty() ? t.format(java.time.format.DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                : t.format(java.time.format.DateTimeFormatter.ofPattern(pattern));
    }

    private final JavaRDD<Window> windows;
    private final long rows;
    private final long series;
    private final PartitionCounts counted;
    private final Map<String, Long> axis;
    private final Runnable release;

    private ForecastInputs(JavaRDD<Window> windows, long rows, long series, PartitionCounts counted,
                           Map<String, Long> axis, Runnable release) {
        this.windows = windows;
        this.rows = rows;
        this.series = series;
        this.counted = counted;
        this.axis = axis;
        this.release = release;
    }

    /** The windows, computed lazily. */
    public JavaRDD<Window> windows() {
        return windows;
    }

    /** Rows read (malformed rows quarantined not included). */
    public long rows() {
        return rows;
    }

    /** Series (entities) read. */
    public long series() {
        return series;
    }

    /** Windows not scored because they touch a missing value; final once {@link #windows()} has been computed. */
    public long droppedWindows() {
        return counted.value(TimeSeriesPreparer.WINDOWS_DROPPED);
    }

    /** What the time axis counted: duplicates resolved, steps inserted, gaps (see {@code TimeAxis}). */
    public Map<String, Long> axisCounts() {
        return axis;
    }

    /** Frees the cached rows. */
    public void release() {
        release.run();
    }

    /**
     * @param config   the data's settings: the model's own preparation settings with the caller's overrides
     *                 (input path and format, missing-value policies); window length and columns must be the
     *                 model's
     * @param model    the model's preparation: its normalizer, vocabularies, channels and targets are used
     * @param lastOnly only the window ending at each series' last row
     */
    public static ForecastInputs read(JavaSparkContext sc, PrepareConfig config, InputFiles files, Preparation model,
                                      boolean lastOnly) {
        TimeSeriesConfig ts = config.timeseries();
        if (model.normalizer() == null) {
            throw new InputDataException("the model's preparation has no normalizer; it cannot score time series");
        }
        int partitions = files.partitions(sc.defaultParallelism());
        List<String> paths = files.paths();
        TimeSeriesPreparer.Ordered read = TimeSeriesPreparer.readOrdered(sc, config, files, partitions);
        Columns columns = read.columns();
        CategoryEncoder encoder = TimeSeriesPreparer.reusedEncoder(model, columns, ts);
        Standardizer normalizer = TimeSeriesPreparer.reusedNormalizer(model, columns, encoder, files);
        Runnable release = read::release;

        JavaRDD<TimeSeriesPreparer.IndexedRow> ordered = read.rows()
                .map(r -> new TimeSeriesPreparer.IndexedRow(r.index(), r.row(), 0));
        Map<String, SeriesSplits.Series> series = read.series();
        long axisSteps = series.values().stream().mapToLong(SeriesSplits.Series::rows).sum();
        if (axisSteps == 0) {
            release.run();
            throw new InputDataException("input.path " + files.pattern() + ": no data rows");
        }
        Broadcast<Map<String, Long>> lastRows = lastOnly
                ? sc.broadcast(lastRowOf(series))
                : null;

        MissingConfig.Policy[] policies = columns.policies();
        List<GapFiller.Carry> carries = TimeSeriesPreparer.carries(ordered, policies);
        String[] filledNames = TimeSeriesPreparer.filledNames(columns);

        // windows are cut from each sorted partition in place, as prepare does
        int steps = ts.windowSteps();
        int[] targetPositions = columns.targetPositions();
        Broadcast<List<List<TimeSeriesPreparer.IndexedRow>>> next = TimeSeriesPreparer.followers(sc, ordered, policies,
                carries, encoder, paths, steps - 1);
        PartitionCounts counted = PartitionCounts.register(sc.sc(), "predict.timeseries");
        JavaRDD<Window> windows = ordered.mapPartitionsWithIndex((p, rows) -> {
            Map<String, Long> last = lastRows == null ? null : lastRows.value();
            Tally tally = new Tally();
            Iterator<TimeSeriesPreparer.IndexedRow> ready = TimeSeriesPreparer.encode(
                    TimeSeriesPreparer.fill(rows, policies, carries, p, tally, filledNames), encoder, paths, tally);
            return counted.whenDone(p, tally, OrderedSpans.slide(ready, next.value().get(p), steps, paths,
                    (buffer, from) -> windowAt(buffer, from, steps, normalizer, targetPositions, paths, last, tally)));
        }, true);
        long rowsRead = read.axisCounts().getOrDefault("rowsRead", axisSteps);
        return new ForecastInputs(windows, rowsRead, series.size(), counted, read.axisCounts(), release);
    }

    /** The index of each series' last row: series are contiguous in the ordered rows. */
    private static Map<String, Long> lastRowOf(Map<String, SeriesSplits.Series> series) {
        Map<String, Long> out = new java.util.HashMap<>();
        series.forEach((entity, s) -> out.put(entity, s.first() + s.rows() - 1));
        return out;
    }

    /**
     * The window of the {@code steps} rows from {@code i}, or null: it must lie in one series (and end on the
     * series' last row when {@code lastRows} is given); a window with a missing input is counted in
     * {@code dropped}. Null rather than an Optional: it is called for every row on the executors, as
     * {@link TimeSeriesPreparer#windowAt} is.
     */
    private static Window windowAt(List<TimeSeriesPreparer.IndexedRow> rows, int i, int steps, Standardizer normalizer,
                                   int[] targetPositions, List<String> paths, Map<String, Long> lastRows,
                                   Tally tally) {
        TimeSeriesPreparer.IndexedRow first = rows.get(i);
        TimeSeriesPreparer.IndexedRow last = rows.get(i + steps - 1);
        if (!first.row().entity().equals(last.row().entity())) return null;
        if (lastRows != null && lastRows.get(last.row().entity()) != last.index()) return null;
        int channels = normalizer.columns().size();
        if (TimeSeriesPreparer.inputsMissing(rows, i, steps, channels)) {
            tally.add(TimeSeriesPreparer.WINDOWS_DROPPED, 1);
            return null;
        }
        float[] features = TimeSeriesPreparer.inputs(rows, i, steps, normalizer, channels);
        double[] lastTargets = new double[targetPositions.length];
        double[] lastValues = last.row().values();
        for (int j = 0; j < targetPositions.length; j++) {
            lastTargets[j] = normalizer.transform(targetPositions[j], lastValues[targetPositions[j]]);
        }
        return new Window(last.row().entity(), last.row().time(), paths.get(last.row().fileIndex()),
                last.row().line(), features, lastTargets);
    }
}
