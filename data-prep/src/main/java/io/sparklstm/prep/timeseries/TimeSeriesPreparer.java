package io.sparklstm.prep.timeseries;

import io.sparklstm.model.Task;
import io.sparklstm.model.data.Preparation;
import io.sparklstm.model.data.Standardizer;
import io.sparklstm.prep.PartitionCounts;
import io.sparklstm.prep.PreparedExamples;
import io.sparklstm.prep.Rejection;
import io.sparklstm.prep.Tally;
import io.sparklstm.prep.config.Duplicates;
import io.sparklstm.prep.config.Frequency;
import io.sparklstm.prep.config.InvalidSettingsException;
import io.sparklstm.prep.config.MissingConfig.Policy;
import io.sparklstm.prep.config.PrepareConfig;
import io.sparklstm.prep.config.SplitConfig;
import io.sparklstm.prep.config.TimeSeriesConfig;
import io.sparklstm.prep.export.Example;
import io.sparklstm.prep.io.InOrder;
import io.sparklstm.prep.io.InputDataException;
import io.sparklstm.prep.io.InputFiles;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;
import scala.Tuple3;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Prepares a time-series table (one series, or one per entity) for multi-horizon forecasting.
 *
 * <p>Rows are parsed (a malformed row fails with its file, line and text, or is quarantined), sorted by
 * series and time and numbered, assigned to a split (by time within each series, or whole series by entity),
 * described (moments of present training values, categorical vocabularies of the training split, missing
 * counts), filled where the missing-value policy says so, one-hot encoded, standardized with the training
 * statistics, and cut into windows of {@code windowSteps} input rows followed by {@code horizonSteps}
 * target rows. A window never spans two splits or two series, and a window touching a value still missing
 * is dropped and counted. Windowing reads the sorted partitions where they are, each followed by the first
 * rows of the next ones ({@link OrderedSpans}), so one long series is windowed by as many tasks as it has
 * partitions, without a second shuffle; filling happens before, so it does not depend on where partitions
 * begin.
 */
public final class TimeSeriesPreparer {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TimeSeriesPreparer.class);

    private TimeSeriesPreparer() {
    }

    /** The types this kind's Spark stages cache and shuffle, for Kryo to register (see {@code SerializedTypes}). */
    public static List<Class<?>> serializedTypes() {
        return List.of(RawRecord.class, RowParser.Parsed.class, SeriesRow.class, SeriesKey.class, IndexedRow.class,
                PartitionSeries.class, Described.class, ColumnStats.class, GapFiller.Anchor.class,
                GapFiller.Anchor[].class, GapFiller.Edges.class, GapFiller.Carry.class, ForecastInputs.Window.class,
                TimeAxis.RowKey.class, TimeAxis.Survey.class, TimeAxis.Steps.class, Rejection.class);
    }

    public static PreparedExamples prepare(JavaSparkContext sc, PrepareConfig config, InputFiles files) {
        return prepare(sc, config, files, Optional.empty());
    }

    /**
     * With {@code reuse}, the normalizer and the category vocabularies are those of a stored preparation (a
     * model's, for scoring or for a warm-started challenger) rather than learned from this data, whose own
     * statistics are still computed and returned for drift checks. The data must have the reused columns.
     */
    public static PreparedExamples prepare(JavaSparkContext sc, PrepareConfig config, InputFiles files,
                                           Optional<Preparation> reuse) {
        TimeSeriesConfig ts = config.timeseries();
        int partitions = files.partitions(sc.defaultParallelism());
        List<String> paths = files.paths();
        Ordered read = readOrdered(sc, config, files, partitions);
        Columns columns = read.columns();
        JavaRDD<IndexedRow> ordered = read.rows();

        Map<String, SeriesSplits.Series> series = read.series();
        long steps = series.values().stream().mapToLong(SeriesSplits.Series::rows).sum();
        if (steps == 0) {
            throw new InputDataException("input.path " + files.pattern() + ": no data rows");
        }
        checkSeriesHoldWindows(series, ts);
        int season = reuse.flatMap(TimeSeriesPreparer::reusedSeason).orElseGet(() -> season(ts, read.frequency()));
        SeriesSplits splits = splits(config.split(), ts.timestampFormat(), series, config.seed());
        JavaRDD<IndexedRow> indexed = ordered.map(r -> new IndexedRow(r.index(), r.row(), splits.of(r.row(), r.index())));
        boolean rowOrder = ts.rowOrder();

        // One pass over the rows for both: rows and time range per split, and the training statistics.
        int numeric = columns.features().size();
        int categorical = columns.categorical().size();
        int[] targetPositions = columns.targetPositions();
        Described described = InOrder.aggregate(indexed, () -> new Described(numeric, categorical,
                        new NaiveErrors(targetPositions, ts.horizonSteps(), season)),
                Described::add, Described::merge);
        Map<Integer, PreparedExamples.SplitRows> splitRows = described.splitRows(rowOrder, paths);
        checkSplitsHoldWindows(splitRows, ts, config.split());
        ColumnStats stats = described.stats;
        CategoryEncoder learned = new CategoryEncoder(columns.categorical(), stats.vocabulary(), ts.unseenCategory());
        Standardizer observed = stats.standardizer(columns.features(), learned.channelNames(), config.normalize());
        CategoryEncoder encoder = reuse.map(r -> reusedEncoder(r, columns, ts)).orElse(learned);
        Standardizer normalizer = reuse.map(r -> reusedNormalizer(r, columns, encoder, files)).orElse(observed);

        Policy[] policies = columns.policies();
        List<GapFiller.Carry> carries = carries(indexed, policies);
        String[] filledNames = filledNames(columns);
        TimeSeriesConfig.TargetOffset offset = reuse.flatMap(TimeSeriesPreparer::reusedOffset)
                .orElseGet(() -> targetOffset(ts, season, described.naive, observed, columns));
        int span = ts.spanSteps();
        Broadcast<List<List<IndexedRow>>> next = followers(sc, indexed, policies, carries, encoder, paths, span - 1);
        PartitionCounts deferred = PartitionCounts.register(sc.sc(), "prepare.timeseries");
        JavaRDD<Example> examples = indexed.mapPartitionsWithIndex((p, rows) -> {
            Tally tally = new Tally();
            Map<String, Long> firstRows = new HashMap<>();
            Iterator<IndexedRow> ready = encode(fill(rows, policies, carries, p, tally, filledNames), encoder, paths,
                    tally);
            return deferred.whenDone(p, tally, OrderedSpans.slide(ready, next.value().get(p), span, paths,
                    (buffer, from) -> windowAt(buffer, from, ts, season, offset, normalizer, targetPositions, splits,
                            firstRows,
                            tally)));
        }, true);

        Map<String, Long> counts = new TreeMap<>(read.axisCounts());
        counts.put("rowsUnassigned", splitRows.containsKey(-1) ? splitRows.get(-1).rows() : 0L);
        if (ts.hasEntities()) counts.put("entities", (long) series.size());
        for (int c = 0; c < numeric; c++) {
            counts.put("missing." + columns.features().get(c), stats.missing(c));
        }
        for (int i = 0; i < columns.categorical().size(); i++) {
            counts.put("missing." + columns.categorical().get(i), stats.missingCategorical(i));
        }
        List<String> deferredNames = new ArrayList<>(List.of(filledNames));
        deferredNames.add(WINDOWS_DROPPED);
        if (!columns.categorical().isEmpty()) deferredNames.add(CategoryEncoder.UNSEEN);
        Supplier<Map<String, Long>> deferredCounts = () -> {
            Map<String, Long> out = new TreeMap<>();
            Map<String, Long> counted = deferred.value();
            for (String name : deferredNames) out.put(name, counted.getOrDefault(name, 0L));
            return out;
        };

        return new PreparedExamples(examples, Task.FORECAST, normalizer.columns(), columns.targets(), List.of(),
                ts.windowSteps(), ts.horizonSteps(), normalizer, withoutUnassigned(splitRows), counts,
                encoder.vocabularies(), deferredCounts, rejected(config, read), read.persisted(),
                reuse.isPresent() ? Optional.of(observed) : Optional.empty(),
                Map.of("timeseries.frequency", read.frequency().toString(), "timeseries.season",
                        Integer.toString(season), "timeseries.targetOffset", offset.name().toLowerCase(Locale.ROOT)));
    }

    /** The season in steps on the table's time axis; a season offset without one is a settings error. */
    static int season(TimeSeriesConfig ts, Frequency frequency) {
        int season = ts.resolvedSeason(frequency.seconds());
        if (season == 0 && ts.targetOffset() == TimeSeriesConfig.TargetOffset.SEASON) {
            throw new InvalidSettingsException("timeseries.targetOffset = \"season\" is invalid here: "
                    + "timeseries.season = auto found no season (a step of " + frequency + " and a window of "
                    + ts.windowSteps() + " steps do not hold one day); set timeseries.season to a number of steps");
        }
        return season;
    }

    /**
     * What the targets are measured from: the configured offset, or for {@code auto} the naive forecast with the
     * lower error on the training split (seasonal naive where there is a season and it does better, else the last
     * value), so that the network learns what the better naive forecast misses.
     */
    static TimeSeriesConfig.TargetOffset targetOffset(TimeSeriesConfig ts, int season, NaiveErrors naive,
                                                      Standardizer observed, Columns columns) {
        double[] std = new double[columns.targets().size()];
        for (int j = 0; j < std.length; j++) std[j] = observed.std()[observed.indexOf(columns.targets().get(j))];
        double persistence = naive.persistence(std);
        double seasonal = naive.seasonal(std);
        if (ts.targetOffset() != TimeSeriesConfig.TargetOffset.AUTO) return ts.targetOffset();
        TimeSeriesConfig.TargetOffset chosen = seasonal < persistence ? TimeSeriesConfig.TargetOffset.SEASON
                : TimeSeriesConfig.TargetOffset.LAST;
        LOG.info("prepare: timeseries.targetOffset = auto: {} (on the training split, mean absolute error over the "
                        + "horizon in training standard deviations: persistence {}, seasonal naive {})",
                chosen.name().toLowerCase(Locale.ROOT), String.format(Locale.ROOT, "%.4f", persistence),
                season == 0 ? "none (no season)" : String.format(Locale.ROOT, "%.4f", seasonal));
        return chosen;
    }

    /** The offset a stored preparation resolved (a model's: its targets must be measured the same way). */
    static Optional<TimeSeriesConfig.TargetOffset> reusedOffset(Preparation reuse) {
        return setting(reuse, "targetOffset").map(v -> TimeSeriesConfig.TargetOffset.valueOf(v.toUpperCase(Locale.ROOT)))
                .filter(o -> o != TimeSeriesConfig.TargetOffset.AUTO);
    }

    /** The season a stored preparation resolved. */
    static Optional<Integer> reusedSeason(Preparation reuse) {
        return setting(reuse, "season").filter(v -> v.matches("\\d+")).map(Integer::valueOf);
    }

    private static Optional<String> setting(Preparation reuse, String key) {
        return reuse.settings().get("timeseries") instanceof Map<?, ?> ts && ts.get(key) != null
                ? Optional.of(String.valueOf(ts.get(key)).trim()) : Optional.empty();
    }

    /** The name under which windows touching a value still missing are counted. */
    static final String WINDOWS_DROPPED = "windowsDropped";

    /** The name under which each numeric column's filled values are counted. */
    static String[] filledNames(Columns columns) {
        return columns.features().stream().map(c -> "filled." + c).toArray(String[]::new);
    }

    /** The quarantined records: malformed rows, and rows of duplicated timestamps, as JSON lines. */
    private static Optional<JavaRDD<String>> rejected(PrepareConfig config, Ordered read) {
        JavaRDD<String> malformed = config.input().quarantine()
                ? read.parsed().filter(p -> !p.ok()).map(p -> p.rejection().toJson()) : null;
        JavaRDD<String> duplicates = read.quarantined().map(rows -> rows.map(Rejection::toJson)).orElse(null);
        if (malformed == null) return Optional.ofNullable(duplicates);
        return Optional.of(duplicates == null ? malformed : malformed.union(duplicates));
    }

    static CategoryEncoder reusedEncoder(Preparation reuse, Columns columns, TimeSeriesConfig ts) {
        List<List<String>> vocabulary = new java.util.ArrayList<>();
        for (String column : columns.categorical()) {
            List<String> values = reuse.categories().get(column);
            if (values == null) {
                throw new InputDataException("timeseries.categoricalColumns: " + column + " is not a categorical "
                        + "column of the reused preparation, which has " + reuse.categories().keySet());
            }
            vocabulary.add(values);
        }
        return new CategoryEncoder(columns.categorical(), vocabulary, ts.unseenCategory());
    }

    /** The reused normalizer, after checking that this data yields exactly its channels and targets. */
    static Standardizer reusedNormalizer(Preparation reuse, Columns columns, CategoryEncoder encoder,
                                                 InputFiles files) {
        List<String> channels = new java.util.ArrayList<>(columns.features());
        channels.addAll(encoder.channelNames());
        if (!channels.equals(reuse.featureNames()) || !columns.targets().equals(reuse.targetNames())) {
            throw new InputDataException(files.pattern() + ": the data's input channels " + channels + " and targets "
                    + columns.targets() + " differ from the model's " + reuse.featureNames() + " and "
                    + reuse.targetNames());
        }
        if (reuse.normalizer() == null) {
            throw new InputDataException("the reused preparation has no normalizer; prepare.normalize must match it");
        }
        return reuse.normalizer();
    }

    /**
     * The table's columns (resolved against its header and checked for type), its parsed rows (all of them, with
     * the rejected ones, kept only when quarantining), the good ones sorted by series and time on the time axis
     * ({@link TimeAxis}: duplicates resolved, missing steps inserted) and numbered, each series' first row number
     * and row count, and what the time axis counted. {@code parsed} and {@code sorted} (the sorted rows as read,
     * which {@code rows} puts on the axis and numbers as it reads them) are persisted; the caller releases them.
     *
     * @param frequency   the step of the time axis, as found or configured (none without one)
     * @param axisCounts  rows read, duplicates, inserted steps and gaps, for the manifest
     * @param quarantined the rows of duplicated timestamps, when they are quarantined
     */
    record Ordered(Columns columns, JavaRDD<RowParser.Parsed> parsed, JavaRDD<SeriesRow> sorted,
                   JavaRDD<IndexedRow> rows, Map<String, SeriesSplits.Series> series, Frequency frequency,
                   Map<String, Long> axisCounts, Optional<JavaRDD<Rejection>> quarantined) {
        List<JavaRDD<?>> persisted() {
            return List.of(parsed, sorted);
        }

        void release() {
            persisted().forEach(rdd -> rdd.unpersist(false));
        }
    }

    static Ordered readOrdered(JavaSparkContext sc, PrepareConfig config, InputFiles files, int partitions) {
        TimeSeriesConfig ts = config.timeseries();
        List<String> paths = files.paths();
        TableInput table = TableInput.open(sc, config.input(), files);
        Columns columns = Columns.resolve(ts, table.header(), table.firstFile());
        table.requireNumeric(columns.features());
        RowParser parser = new RowParser(columns, ts.timestampFormat(), !ts.timestampColumns().isEmpty(),
                config.input(), ts.duplicates() == Duplicates.QUARANTINE);
        boolean quarantine = config.input().quarantine();
        JavaRDD<RowParser.Parsed> parsed = table.records(sc, config.input(), files, ts.timestampFormat(), partitions)
                .map(record -> {
                    RowParser.Parsed p = parser.parse(record);
                    if (!p.ok() && !quarantine) {
                        Rejection r = p.rejection();
                        throw InputDataException.atLine(r.file(), r.line(), r.reason(), r.text());
                    }
                    return p;
                });
        parsed.persist(StorageLevel.MEMORY_AND_DISK_SER());
        JavaRDD<SeriesRow> sorted = TimeAxis.sort(parsed.filter(RowParser.Parsed::ok).map(RowParser.Parsed::row),
                partitions);
        sorted.persist(StorageLevel.MEMORY_AND_DISK_SER());
        TimeAxis.Plan plan = TimeAxis.plan(sorted, ts.effectiveFrequency(), ts.duplicates(), paths,
                trainEnd(config), failingColumns(columns));
        JavaRDD<SeriesRow> axis = TimeAxis.regularize(sorted, plan, ts.duplicates(), paths, columns.features().size(),
                columns.categorical().size());
        // one pass over the rows on the axis gives where each partition's numbering starts and the series
        List<PartitionSeries> extents = plan.regular() ? plan.series()
                : InOrder.perPartition(axis, (p, rows) -> PartitionSeries.of(rows));
        long[] start = new long[extents.size()];
        Map<String, SeriesSplits.Series> series = new TreeMap<>();
        Map<String, Long> counts = new TreeMap<>(plan.counts());
        long offset = 0;
        for (int p = 0; p < extents.size(); p++) {
            PartitionSeries e = extents.get(p);
            start[p] = offset;
            for (Map.Entry<String, long[]> s : e.series().entrySet()) {
                long first = offset + s.getValue()[0];
                series.merge(s.getKey(), new SeriesSplits.Series(first, s.getValue()[1]),
                        (a, b) -> new SeriesSplits.Series(Math.min(a.first(), b.first()), a.rows() + b.rows()));
            }
            offset += e.rows();
        }
        if (plan.step() > 0) counts.putAll(PartitionSeries.gapCounts(extents, ts.hasEntities()));
        JavaRDD<IndexedRow> ordered = axis.mapPartitionsWithIndex((p, rows) -> new Iterator<IndexedRow>() {
            private long index = start[p];

            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public IndexedRow next() {
                return new IndexedRow(index++, rows.next(), -1);
            }
        }, true);
        Optional<JavaRDD<Rejection>> quarantined = ts.duplicates() == Duplicates.QUARANTINE
                && counts.getOrDefault("duplicates.timestamps", 0L) > 0
                ? Optional.of(TimeAxis.quarantined(sorted, paths)) : Optional.empty();
        return new Ordered(columns, parsed, sorted, ordered, series, plan.frequency(), counts, quarantined);
    }

    /** The end of the training split when it is by date, else the end of time. */
    private static long trainEnd(PrepareConfig config) {
        if (!config.split().byDates()) return Long.MAX_VALUE;
        String pattern = config.timeseries().timestampFormat();
        return new Timestamps(pattern).parseSetting("split.trainEnd", config.split().trainEnd(), pattern);
    }

    /** The numeric columns whose missing values fail the job. */
    private static List<String> failingColumns(Columns columns) {
        List<String> out = new ArrayList<>();
        for (int c = 0; c < columns.features().size(); c++) {
            if (columns.policies()[c] == Policy.FAIL) out.add(columns.features().get(c));
        }
        return out;
    }

    /**
     * The rows of one sorted partition and the series in it: each one's first row (counted from the partition's
     * start), row count, steps inserted on the time axis, gaps (runs of inserted steps; a gap is inserted
     * whole before the row that ends it, so it never spans partitions) and the longest gap; rows of a series are
     * consecutive.
     */
    record PartitionSeries(long rows, Map<String, long[]> series) implements java.io.Serializable {
        private static final int FIRST = 0;
        private static final int ROWS = 1;
        private static final int INSERTED = 2;
        private static final int GAPS = 3;
        private static final int LONGEST = 4;

        static PartitionSeries of(Iterator<SeriesRow> rows) {
            Map<String, long[]> series = new java.util.LinkedHashMap<>();
            long n = 0;
            String entity = null;
            long[] current = null;
            long run = 0;
            while (rows.hasNext()) {
                SeriesRow r = rows.next();
                String e = r.entity();
                if (!e.equals(entity)) {
                    entity = e;
                    current = new long[]{n, 0, 0, 0, 0};
                    series.put(e, current);
                    run = 0;
                }
                current[ROWS]++;
                if (r.inserted()) {
                    current[INSERTED]++;
                    if (run++ == 0) current[GAPS]++;
                    current[LONGEST] = Math.max(current[LONGEST], run);
                } else {
                    run = 0;
                }
                n++;
            }
            return new PartitionSeries(n, series);
        }

        /**
         * Steps inserted, gaps and the longest gap (in steps), in all and, for tables of several series, per series
         * that had any.
         */
        static Map<String, Long> gapCounts(List<PartitionSeries> partitions, boolean perSeries) {
            Map<String, long[]> bySeries = new TreeMap<>();
            for (PartitionSeries p : partitions) {
                p.series().forEach((entity, s) -> {
                    long[] sum = bySeries.computeIfAbsent(entity, k -> new long[3]);
                    sum[0] += s[INSERTED];
                    sum[1] += s[GAPS];
                    sum[2] = Math.max(sum[2], s[LONGEST]);
                });
            }
            Map<String, Long> out = new TreeMap<>();
            long inserted = 0;
            long gaps = 0;
            long longest = 0;
            for (Map.Entry<String, long[]> e : bySeries.entrySet()) {
                long[] s = e.getValue();
                inserted += s[0];
                gaps += s[1];
                longest = Math.max(longest, s[2]);
                if (perSeries && s[0] > 0) out.put("timeAxis.stepsInserted." + e.getKey(), s[0]);
            }
            out.put("timeAxis.stepsInserted", inserted);
            out.put("timeAxis.gaps", gaps);
            out.put("timeAxis.longestGapSteps", longest);
            if (inserted > 0) {
                LOG.warn("prepare: {} missing step(s) inserted on the time axis in {} gap(s), the longest {} step(s); "
                        + "timeseries.missing decides their values", inserted, gaps, longest);
            }
            return out;
        }
    }

    /** A row with its position in series-then-time order and its split. */
    record IndexedRow(long index, SeriesRow row, int split) implements java.io.Serializable {
    }

    private static void checkSeriesHoldWindows(Map<String, SeriesSplits.Series> series, TimeSeriesConfig ts) {
        List<String> short_ = new ArrayList<>();
        series.forEach((entity, s) -> {
            if (s.rows() < ts.spanSteps()) short_.add((entity.isEmpty() ? "the series" : entity) + " (" + s.rows()
                    + " rows)");
        });
        if (!short_.isEmpty()) {
            throw new InputDataException((ts.hasEntities() ? "series of " + ts.entityColumn() + " " : "")
                    + short_.subList(0, Math.min(10, short_.size())) + (short_.size() > 10 ? " and "
                    + (short_.size() - 10) + " more" : "") + ": fewer than one window of " + ts.spanSteps()
                    + " rows (timeseries.windowSteps + timeseries.horizonSteps)");
        }
    }

    private static SeriesSplits splits(SplitConfig split, String pattern, Map<String, SeriesSplits.Series> series,
                                       long seed) {
        if (split.method() == SplitConfig.Method.ENTITY) {
            return SeriesSplits.byEntity(split.fractions(), series, seed);
        }
        if (split.byDates()) {
            Timestamps t = new Timestamps(pattern);
            long trainEnd = t.parseSetting("split.trainEnd", split.trainEnd(), pattern);
            long validationEnd = t.parseSetting("split.validationEnd", split.validationEnd(), pattern);
            long testEnd = split.testEnd().isEmpty() ? Long.MAX_VALUE
                    : t.parseSetting("split.testEnd", split.testEnd(), pattern);
            return SeriesSplits.byDates(trainEnd, validationEnd, testEnd, split.folds(), split.fold(), series);
        }
        return SeriesSplits.byFractions(split.fractions(), split.folds(), split.fold(), series);
    }

    /** What one pass over the split rows learns: rows, first and last time per split, and the column statistics. */
    static final class Described implements java.io.Serializable {
        /** split (-1: none) to {rows, first time, last time} */
        private final Map<Integer, long[]> splits = new TreeMap<>();
        private final ColumnStats stats;
        private final NaiveErrors naive;

        Described(int numeric, int categorical, NaiveErrors naive) {
            stats = new ColumnStats(numeric, categorical);
            this.naive = naive;
        }

        Described add(IndexedRow r) {
            long time = r.row().time();
            long[] s = splits.computeIfAbsent(r.split(), k -> new long[]{0, Long.MAX_VALUE, Long.MIN_VALUE});
            s[0]++;
            s[1] = Math.min(s[1], time);
            s[2] = Math.max(s[2], time);
            stats.add(r.row(), r.split() == 0);
            if (r.split() == 0) naive.add(r.row());
            return this;
        }

        Described merge(Described other) {
            other.splits.forEach((split, o) -> {
                long[] s = splits.computeIfAbsent(split, k -> new long[]{0, Long.MAX_VALUE, Long.MIN_VALUE});
                s[0] += o[0];
                s[1] = Math.min(s[1], o[1]);
                s[2] = Math.max(s[2], o[2]);
            });
            stats.merge(other.stats);
            naive.merge(other.naive);
            return this;
        }

        /** Rows and time range per split; for a table in row order, the first and last rows' file and line. */
        Map<Integer, PreparedExamples.SplitRows> splitRows(boolean rowOrder, List<String> paths) {
            Map<Integer, PreparedExamples.SplitRows> out = new TreeMap<>();
            splits.forEach((split, s) -> out.put(split, new PreparedExamples.SplitRows(s[0], when(s[1], rowOrder, paths),
                    when(s[2], rowOrder, paths))));
            return out;
        }

        private static String when(long time, boolean rowOrder, List<String> paths) {
            if (!rowOrder) return Timestamps.iso(time);
            return paths.get((int) (time >>> 40)) + ":" + (time & ((1L << 40) - 1));
        }
    }

    private static Map<Integer, PreparedExamples.SplitRows> withoutUnassigned(Map<Integer, PreparedExamples.SplitRows> m) {
        Map<Integer, PreparedExamples.SplitRows> out = new TreeMap<>(m);
        out.remove(-1);
        return out;
    }

    private static void checkSplitsHoldWindows(Map<Integer, PreparedExamples.SplitRows> splitRows,
                                               TimeSeriesConfig ts, SplitConfig split) {
        PreparedExamples.SplitRows train = splitRows.get(0);
        if (train == null || train.rows() < ts.spanSteps()) {
            throw new InputDataException("the training split has " + (train == null ? 0 : train.rows())
                    + " rows, fewer than one window of " + ts.spanSteps() + " rows (timeseries.windowSteps + "
                    + "timeseries.horizonSteps); " + (split.folds() > 0
                    ? "fold " + split.fold() + " of split.folds = " + split.folds() + " validates " + (split.folds()
                    - 1 - split.fold()) + " validation lengths before the configured validation and trains on what "
                    + "comes before that: use fewer folds"
                    : "check split." + (split.byDates() ? "trainEnd" : "fractions") + " against the data"));
        }
    }

    /**
     * What each partition needs from the ones before it to fill its gaps, one per partition; none when no policy
     * fills. A list, not an Optional: it travels in Spark closures, and Optional is not serializable.
     */
    static List<GapFiller.Carry> carries(JavaRDD<IndexedRow> indexed, Policy[] policies) {
        boolean any = Arrays.stream(policies).anyMatch(p -> p == Policy.FFILL || p == Policy.INTERPOLATE);
        if (!any) return List.of();
        int columns = policies.length;
        return GapFiller.carries(InOrder.perPartition(indexed, (p, rows) -> GapFiller.edges(rows, columns)), columns);
    }

    /**
     * Fills missing values of one partition's rows per the policies. Each partition holds consecutive rows; the
     * first and last present values of every partition (a few numbers each, {@link #carries}) come to the driver
     * so that each partition can continue the gaps of its neighbours. Filled values are counted in {@code tally}.
     */
    static Iterator<IndexedRow> fill(Iterator<IndexedRow> rows, Policy[] policies, List<GapFiller.Carry> carries,
                                     int partition, Tally tally, String[] filledNames) {
        if (carries.isEmpty()) return rows; // no policy fills (or no partition to fill)
        return new GapFiller(rows, policies, carries.get(partition), tally, filledNames);
    }

    /**
     * For each partition of {@code rows}, the {@code n} rows after it ({@link OrderedSpans#followers}), filled and
     * encoded as the windowing pass does, by a short job of their own whose counts are thrown away: the windowing
     * pass counts every row once.
     */
    static Broadcast<List<List<IndexedRow>>> followers(JavaSparkContext sc, JavaRDD<IndexedRow> rows,
                                                       Policy[] policies, List<GapFiller.Carry> carries,
                                                       CategoryEncoder encoder, List<String> paths, int n) {
        String[] names = new String[policies.length];
        java.util.Arrays.fill(names, "uncounted");
        JavaRDD<IndexedRow> heads = rows.mapPartitionsWithIndex((p, part) -> {
            Tally uncounted = new Tally();
            return encode(fill(part, policies, carries, p, uncounted, names), encoder, paths, uncounted);
        }, true);
        return sc.broadcast(OrderedSpans.followers(heads, n));
    }

    /** The rows with their categories one-hot encoded, unseen ones counted in {@code tally}. */
    static Iterator<IndexedRow> encode(Iterator<IndexedRow> rows, CategoryEncoder encoder, List<String> paths,
                                       Tally tally) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public IndexedRow next() {
                IndexedRow r = rows.next();
                return new IndexedRow(r.index(), r.row().withValues(encoder.encode(r.row(),
                        paths.get(r.row().fileIndex()), tally)), r.split());
            }
        };
    }

    /**
     * The window of the {@code spanSteps} rows from {@code from}, or null when there is none: it must start on
     * a stride of its series ({@code strideSteps} rows apart from the series' first row) and lie in one split
     * and one series; a window touching a missing value is counted in {@code tally} instead. Null rather than an
     * Optional: it is called for every row on the executors' hottest loop, and its callers keep it local.
     */
    static Example windowAt(List<IndexedRow> rows, int from, TimeSeriesConfig ts, int season,
                            TimeSeriesConfig.TargetOffset offset, Standardizer normalizer,
                            int[] targetPositions, SeriesSplits splits, Map<String, Long> firstRows,
                            Tally tally) {
        IndexedRow first = rows.get(from);
        IndexedRow last = rows.get(from + ts.spanSteps() - 1);
        if (first.split() < 0 || first.split() != last.split()) return null;
        String entity = first.row().entity();
        if (!entity.equals(last.row().entity())) return null;
        long firstRow = firstRows.computeIfAbsent(entity, splits::firstRow);
        if ((first.index() - firstRow) % ts.strideSteps() != 0) return null;
        int channels = normalizer.columns().size();
        if (touchesMissing(rows, from, ts, channels, targetPositions)) {
            tally.add(WINDOWS_DROPPED, 1);
            return null;
        }
        return window(rows, from, ts, season, offset, normalizer, channels, targetPositions);
    }

    private static boolean touchesMissing(List<IndexedRow> rows, int from, TimeSeriesConfig ts, int channels,
                                          int[] targetPositions) {
        if (inputsMissing(rows, from, ts.windowSteps(), channels)) return true;
        for (int h = 0; h < ts.horizonSteps(); h++) {
            double[] v = rows.get(from + ts.windowSteps() + h).row().values();
            for (int c : targetPositions) {
                if (Double.isNaN(v[c])) return true;
            }
        }
        return false;
    }

    /** Whether a value of the {@code steps} input rows from {@code from} is missing. */
    static boolean inputsMissing(List<IndexedRow> rows, int from, int steps, int channels) {
        for (int t = 0; t < steps; t++) {
            double[] v = rows.get(from + t).row().values();
            for (int c = 0; c < channels; c++) {
                if (Double.isNaN(v[c])) return true;
            }
        }
        return false;
    }

    /** The {@code steps} input rows from {@code from}, standardized, channel-major ({@code [c * steps + t]}). */
    static float[] inputs(List<IndexedRow> rows, int from, int steps, Standardizer normalizer, int channels) {
        float[] features = new float[channels * steps];
        for (int t = 0; t < steps; t++) {
            double[] values = rows.get(from + t).row().values();
            for (int c = 0; c < channels; c++) {
                features[c * steps + t] = (float) normalizer.transform(c, values[c]);
            }
        }
        return features;
    }

    private static Example window(List<IndexedRow> rows, int from, TimeSeriesConfig ts, int season,
                                  TimeSeriesConfig.TargetOffset offset, Standardizer normalizer, int channels,
                                  int[] targetPositions) {
        int steps = ts.windowSteps();
        float[] features = inputs(rows, from, steps, normalizer, channels);
        int targets = targetPositions.length;
        float[] target = new float[ts.horizonSteps() * targets];
        for (int h = 0; h < ts.horizonSteps(); h++) {
            double[] values = rows.get(from + steps + h).row().values();
            // the step the target is measured from: the last input, or the one a season before the target
            int base = switch (offset) {
                case NONE -> -1;
                case LAST -> steps - 1;
                case SEASON -> steps - season + h % season;
                case AUTO -> throw new IllegalStateException("an offset is resolved before windows are cut");
            };
            double[] baseValues = base < 0 ? null : rows.get(from + base).row().values();
            for (int j = 0; j < targets; j++) {
                int c = targetPositions[j];
                double measuredFrom = base < 0 ? 0.0 : normalizer.transform(c, baseValues[c]);
                target[h * targets + j] = (float) (normalizer.transform(c, values[c]) - measuredFrom);
            }
        }
        IndexedRow first = rows.get(from);
        return new Example(first.split(), first.row().entity(), first.index(), steps, features, target, -1);
    }
}
