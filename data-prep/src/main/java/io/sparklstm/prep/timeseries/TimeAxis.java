package io.sparklstm.prep.timeseries;

import io.sparklstm.prep.Rejection;
import io.sparklstm.prep.config.Duplicates;
import io.sparklstm.prep.config.Frequency;
import io.sparklstm.prep.io.InOrder;
import io.sparklstm.prep.io.InputDataException;
import org.apache.spark.RangePartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The time axis of a table's rows, sorted by series and time: rows of one series with the same timestamp
 * resolved by {@code timeseries.duplicates}, the step of the axis found ({@code timeseries.frequency = auto})
 * or checked, and each step missing between two rows of a series inserted as a row whose values are all
 * missing, so that the missing-value policies decide about it like about any other missing value.
 *
 * <p>Rows are sorted with all rows of one (series, timestamp) in one partition, ordered by file and line
 * ({@link #sort}), so that duplicates are resolved inside a partition, and "first" and "last" mean input
 * order. One pass over the sorted rows ({@link Survey}) counts rows and duplicates and the steps between
 * consecutive rows; the driver picks the frequency from the counts, and the rows are then resolved and put on
 * the grid partition by partition ({@link #regularize}), each partition continuing from the last row of the
 * partitions before it. Nothing is shuffled again; where the data has no duplicates and no gaps (the common
 * case), the sorted rows are used as they are and no second pass is needed.
 */
final class TimeAxis {

    private static final Logger LOG = LoggerFactory.getLogger(TimeAxis.class);
    /** Distinct steps counted exactly per partition; beyond them the data is too irregular for a histogram. */
    private static final int MAX_DISTINCT_STEPS = 4096;

    private TimeAxis() {
    }

    /** Sort key: series and time, then the row's place in the input, so that "first" means first in the input. */
    record RowKey(String entity, long time, int fileIndex, long line) implements Comparable<RowKey>, Serializable {
        private static final Comparator<RowKey> ORDER = Comparator.comparing(RowKey::entity)
                .thenComparingLong(RowKey::time).thenComparingInt(RowKey::fileIndex).thenComparingLong(RowKey::line);

        static RowKey of(SeriesRow row) {
            return new RowKey(row.entity(), row.time(), row.fileIndex(), row.line());
        }

        SeriesKey series() {
            return new SeriesKey(entity, time);
        }

        @Override
        public int compareTo(RowKey other) {
            return ORDER.compare(this, other);
        }
    }

    /** Partitions by ranges of (series, time) only, so that the rows of one timestamp of a series stay together. */
    static final class BySeriesTime extends org.apache.spark.Partitioner {
        private final RangePartitioner<SeriesKey, Boolean> ranges;

        BySeriesTime(RangePartitioner<SeriesKey, Boolean> ranges) {
            this.ranges = ranges;
        }

        @Override
        public int numPartitions() {
            return ranges.numPartitions();
        }

        @Override
        public int getPartition(Object key) {
            return ranges.getPartition(((RowKey) key).series());
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof BySeriesTime b && b.ranges.equals(ranges);
        }

        @Override
        public int hashCode() {
            return ranges.hashCode();
        }
    }

    /**
     * The rows sorted by series, time, file and line, into about {@code partitions} ranges of (series, time):
     * Spark's range partitioner, sampled from the (series, time) keys, sends every row of one timestamp of a
     * series to one partition.
     */
    static JavaRDD<SeriesRow> sort(JavaRDD<SeriesRow> rows, int partitions) {
        JavaPairRDD<RowKey, SeriesRow> keyed = rows.mapToPair(r -> new Tuple2<>(RowKey.of(r), r));
        Comparator<SeriesKey> natural = Comparator.naturalOrder();
        RangePartitioner<SeriesKey, Boolean> ranges = new RangePartitioner<>(Math.max(1, partitions),
                keyed.mapToPair(t -> new Tuple2<>(t._1().series(), Boolean.TRUE)).rdd(), true, 20,
                scala.math.Ordering$.MODULE$.comparatorToOrdering(natural),
                scala.reflect.ClassTag$.MODULE$.apply(SeriesKey.class));
        Comparator<RowKey> order = Comparator.naturalOrder();
        return keyed.repartitionAndSortWithinPartitions(new BySeriesTime(ranges), order).values();
    }

    /**
     * Rows of one series with the same timestamp, consecutive in the sorted rows, resolved to one row (or none,
     * when quarantined), lazily. Counts the rows it reads and the duplicates it resolves.
     */
    static final class Resolver implements Iterator<SeriesRow> {
        private final Iterator<SeriesRow> rows;
        private final Duplicates policy;
        private final List<String> paths;
        private final Consumer<Rejection> quarantined;
        private final List<SeriesRow> group = new ArrayList<>();
        private SeriesRow pending;
        private SeriesRow ready;
        long rowsRead;
        long duplicateTimestamps;
        long duplicateRows;
        long quarantinedRows;

        /** @param quarantined receives every row of a duplicated timestamp when the policy is QUARANTINE */
        Resolver(Iterator<SeriesRow> rows, Duplicates policy, List<String> paths, Consumer<Rejection> quarantined) {
            this.rows = rows;
            this.policy = policy;
            this.paths = paths;
            this.quarantined = quarantined;
        }

        @Override
        public boolean hasNext() {
            while (ready == null) {
                if (pending == null) {
                    if (!rows.hasNext()) return false;
                    pending = rows.next();
                    rowsRead++;
                }
                group.clear();
                group.add(pending);
                pending = null;
                while (rows.hasNext()) {
                    SeriesRow r = rows.next();
                    rowsRead++;
                    SeriesRow first = group.get(0);
                    if (r.time() == first.time() && r.entity().equals(first.entity())) {
                        group.add(r);
                    } else {
                        pending = r;
                        break;
                    }
                }
                ready = group.size() == 1 ? group.get(0) : resolve(group).orElse(null);
            }
            return true;
        }

        @Override
        public SeriesRow next() {
            if (!hasNext()) throw new NoSuchElementException();
            SeriesRow out = ready;
            ready = null;
            return out;
        }

        /** The one row that stands for a duplicated timestamp; empty when its rows are quarantined. */
        private Optional<SeriesRow> resolve(List<SeriesRow> rows) {
            duplicateTimestamps++;
            SeriesRow first = rows.get(0);
            SeriesRow second = rows.get(1);
            String where = "duplicate timestamp " + Timestamps.iso(first.time())
                    + (first.entity().isEmpty() ? "" : " in series " + first.entity());
            switch (policy) {
                case FAIL -> throw new InputDataException(at(second) + ": " + where + ", also at " + at(first)
                        + " (timeseries.duplicates = first, last, mean or quarantine resolves duplicates)");
                case FIRST -> {
                    duplicateRows += rows.size() - 1;
                    return Optional.of(first);
                }
                case LAST -> {
                    duplicateRows += rows.size() - 1;
                    return Optional.of(rows.get(rows.size() - 1));
                }
                case MEAN -> {
                    duplicateRows += rows.size() - 1;
                    return Optional.of(mean(rows));
                }
                case QUARANTINE -> {
                    quarantinedRows += rows.size();
                    for (SeriesRow r : rows) {
                        quarantined.accept(new Rejection(paths.get(r.fileIndex()), r.line(), where + " ("
                                + rows.size() + " rows; timeseries.duplicates = quarantine)", r.text()));
                    }
                    return Optional.empty();
                }
                default -> throw new IllegalStateException(policy.toString());
            }
        }

        private String at(SeriesRow r) {
            return paths.get(r.fileIndex()) + ":" + r.line();
        }

        /** The mean of each column's present values (missing when none is), the first present category. */
        private static SeriesRow mean(List<SeriesRow> rows) {
            SeriesRow first = rows.get(0);
            double[] sum = new double[first.values().length];
            int[] present = new int[sum.length];
            String[] categories = first.categories().clone();
            for (SeriesRow r : rows) {
                for (int c = 0; c < sum.length; c++) {
                    double v = r.values()[c];
                    if (!Double.isNaN(v)) {
                        sum[c] += v;
                        present[c]++;
                    }
                }
                for (int c = 0; c < categories.length; c++) {
                    if (categories[c] == null) categories[c] = r.categories()[c];
                }
            }
            double[] mean = new double[sum.length];
            for (int c = 0; c < sum.length; c++) mean[c] = present[c] == 0 ? Double.NaN : sum[c] / present[c];
            return new SeriesRow(first.entity(), first.time(), mean, categories, first.fileIndex(), first.line(),
                    first.text());
        }
    }

    /**
     * Counts of steps between consecutive rows of a series: exact for up to {@link #MAX_DISTINCT_STEPS} distinct
     * steps, then only their number and sum.
     */
    static final class Steps implements Serializable {
        private final Map<Long, Long> counts = new HashMap<>();
        private long overflow;
        private long number;
        private long sum;

        void add(long step, long n) {
            number += n;
            sum += step * n;
            Long c = counts.get(step);
            if (c != null || counts.size() < MAX_DISTINCT_STEPS) {
                counts.put(step, (c == null ? 0 : c) + n);
            } else {
                overflow += n;
            }
        }

        void addAll(Steps other) {
            other.counts.forEach((step, n) -> add(step, n));
            overflow += other.overflow;
            // add() counted the exact ones; the overflowed ones are known only in number and sum
            long exact = other.counts.values().stream().mapToLong(Long::longValue).sum();
            long exactSum = other.counts.entrySet().stream().mapToLong(e -> e.getKey() * e.getValue()).sum();
            number += other.number - exact;
            sum += other.sum - exactSum;
        }

        long number() {
            return number;
        }

        /** Whether every step is known (none overflowed the exact counts). */
        boolean exact() {
            return overflow == 0;
        }

        /** The most common step (the shortest of equally common ones). */
        Optional<Long> mostCommon() {
            return counts.entrySet().stream()
                    .max(Comparator.<Map.Entry<Long, Long>>comparingLong(Map.Entry::getValue)
                            .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                    .map(Map.Entry::getKey);
        }

        long count(long step) {
            return counts.getOrDefault(step, 0L);
        }

        /** Whether every step is a whole number of {@code step}s; empty when some steps are not known. */
        Optional<Boolean> allMultiplesOf(long step) {
            if (!exact()) return Optional.empty();
            return Optional.of(counts.keySet().stream().allMatch(s -> s % step == 0));
        }

        /** The steps missing between the rows, on a grid of {@code step} where every step is a multiple of it. */
        long missingOn(long step) {
            return sum / step - number;
        }
    }

    /** What one pass over a partition of sorted rows finds, after resolving duplicates. */
    static final class Survey implements Serializable {
        long rowsRead;
        long duplicateTimestamps;
        long duplicateRows;
        long quarantinedRows;
        /** first and last resolved rows; null in a partition left empty */
        SeriesRow first;
        SeriesRow last;
        final Steps steps = new Steps();
        /** the steps that end in the training split, when the split is by date; else the same as steps */
        final Steps trainSteps = new Steps();
        TimeSeriesPreparer.PartitionSeries series;

        static Survey of(Iterator<SeriesRow> sorted, Duplicates policy, List<String> paths, long trainEnd) {
            Survey s = new Survey();
            Resolver resolved = new Resolver(sorted, policy, paths, r -> { });
            Iterator<SeriesRow> counted = new Iterator<>() {
                private SeriesRow previous;
                private long run;
                private long runStep = -1;

                @Override
                public boolean hasNext() {
                    boolean more = resolved.hasNext();
                    if (!more) flush();
                    return more;
                }

                @Override
                public SeriesRow next() {
                    SeriesRow r = resolved.next();
                    if (s.first == null) s.first = r;
                    s.last = r;
                    if (previous != null && previous.entity().equals(r.entity())) {
                        long step = r.time() - previous.time();
                        if (step != runStep) {
                            flush();
                            runStep = step;
                        }
                        run++;
                        if (trainEnd != Long.MAX_VALUE && r.time() < trainEnd) s.trainSteps.add(step, 1);
                    }
                    previous = r;
                    return r;
                }

                /** Steps are counted in runs of the same step: most tables have one step almost everywhere. */
                private void flush() {
                    if (run > 0) {
                        s.steps.add(runStep, run);
                        if (trainEnd == Long.MAX_VALUE) s.trainSteps.add(runStep, run);
                    }
                    run = 0;
                }
            };
            s.series = TimeSeriesPreparer.PartitionSeries.of(counted);
            s.rowsRead = resolved.rowsRead;
            s.duplicateTimestamps = resolved.duplicateTimestamps;
            s.duplicateRows = resolved.duplicateRows;
            s.quarantinedRows = resolved.quarantinedRows;
            return s;
        }
    }

    /**
     * The time axis of a table: per partition, the last resolved row before it, and what the driver decided.
     *
     * @param step      the grid's step in seconds; 0 for none
     * @param before    per partition, the last resolved row of the partitions before it (null for none)
     * @param failing   numeric columns whose missing values fail: a missing step is then an error
     * @param regular   whether the sorted rows are already the axis (no duplicates, no missing steps)
     * @param counts    what the manifest counts of the axis (rows read, duplicates, the step)
     * @param series    per partition, its series, when {@code regular}
     */
    record Plan(long step, SeriesRow[] before, List<String> failing, boolean regular, Map<String, Long> counts,
                List<TimeSeriesPreparer.PartitionSeries> series, String stepNote) implements Serializable {

        /** The grid's step, as {@code timeseries.frequency} would give it: a duration, or none. */
        Frequency frequency() {
            return step == 0 ? Frequency.NONE : Frequency.ofSeconds(step);
        }
    }

    /**
     * Surveys the sorted rows (one pass) and decides the axis: the step (the configured one, or the most common
     * step between consecutive rows of a series for {@code auto}), and whether rows must be resolved or inserted.
     *
     * @param trainEnd the end of the training split when it is by date, else {@code Long.MAX_VALUE}
     */
    static Plan plan(JavaRDD<SeriesRow> sorted, Frequency frequency, Duplicates policy, List<String> paths,
                     long trainEnd, List<String> failing) {
        long surveyStart = System.nanoTime();
        List<Survey> surveys = InOrder.perPartition(sorted, (p, rows) -> Survey.of(rows, policy, paths, trainEnd));
        LOG.info("prepare: time axis surveyed in {} s", String.format(java.util.Locale.ROOT, "%.1f",
                (System.nanoTime() - surveyStart) / 1e9));
        Steps steps = new Steps();
        Steps trainSteps = new Steps();
        SeriesRow[] before = new SeriesRow[surveys.size()];
        SeriesRow last = null;
        long rowsRead = 0;
        long duplicateTimestamps = 0;
        long duplicateRows = 0;
        long quarantined = 0;
        for (int p = 0; p < surveys.size(); p++) {
            Survey s = surveys.get(p);
            before[p] = last;
            if (s.first != null && last != null && last.entity().equals(s.first.entity())) {
                long step = s.first.time() - last.time();
                steps.add(step, 1);
                if (trainEnd == Long.MAX_VALUE || s.first.time() < trainEnd) trainSteps.add(step, 1);
            }
            if (s.last != null) last = s.last;
            steps.addAll(s.steps);
            trainSteps.addAll(s.trainSteps);
            rowsRead += s.rowsRead;
            duplicateTimestamps += s.duplicateTimestamps;
            duplicateRows += s.duplicateRows;
            quarantined += s.quarantinedRows;
        }
        Map<String, Long> counts = new TreeMap<>();
        counts.put("rowsRead", rowsRead);
        if (duplicateTimestamps > 0) {
            counts.put("duplicates.timestamps", duplicateTimestamps);
            counts.put(policy == Duplicates.QUARANTINE ? "duplicates.rowsQuarantined" : "duplicates.rowsMerged",
                    policy == Duplicates.QUARANTINE ? quarantined : duplicateRows);
            LOG.warn("prepare: {} duplicated timestamp(s) resolved by timeseries.duplicates = {} ({} rows {})",
                    duplicateTimestamps, policy.name().toLowerCase(), policy == Duplicates.QUARANTINE ? quarantined
                            : duplicateRows, policy == Duplicates.QUARANTINE ? "quarantined" : "merged away");
        }
        long step = step(frequency, trainSteps, steps, trainEnd != Long.MAX_VALUE);
        String note = note(frequency, step, trainSteps);
        if (step > 0) counts.put("timeAxis.stepSeconds", step);
        boolean regular = duplicateTimestamps == 0;
        if (step > 0) {
            Optional<Boolean> onGrid = steps.allMultiplesOf(step);
            if (onGrid.orElse(true)) {
                long missing = steps.missingOn(step);
                checkInsertable(missing, rowsRead, step, steps, note);
                regular &= onGrid.isPresent() && missing == 0;
            } else {
                regular = false;
            }
        }
        if (step > 0) LOG.info("prepare: time axis {}", note);
        List<TimeSeriesPreparer.PartitionSeries> series = new ArrayList<>();
        for (Survey s : surveys) series.add(s.series);
        return new Plan(step, before, failing, regular, counts, regular ? series : List.of(), note);
    }

    private static long step(Frequency frequency, Steps trainSteps, Steps steps, boolean byDate) {
        return switch (frequency.mode()) {
            case NONE -> 0;
            case FIXED -> frequency.seconds();
            case AUTO -> trainSteps.mostCommon().or(steps::mostCommon).orElseGet(() -> {
                LOG.warn("prepare: timeseries.frequency = auto found no two rows of one series{}; rows are taken as "
                        + "consecutive steps", byDate ? " in the training split" : "");
                return 0L;
            });
        };
    }

    private static String note(Frequency frequency, long step, Steps trainSteps) {
        if (step == 0) return "none";
        String text = Frequency.durationText(step);
        if (frequency.fixed()) return "timeseries.frequency = " + text;
        long n = trainSteps.number();
        return String.format(java.util.Locale.ROOT, "timeseries.frequency = auto: %s, the step between %.1f%% of "
                + "consecutive rows (%d of %d)", text, n == 0 ? 0.0 : 100.0 * trainSteps.count(step) / n,
                trainSteps.count(step), n);
    }

    /** Refuses a grid that would multiply the rows: a step much shorter than the data's. */
    private static void checkInsertable(long missing, long rows, long step, Steps steps, String note) {
        if (missing > 10 * Math.max(rows, 100_000L)) {
            throw new InputDataException("a grid of " + Frequency.durationText(step) + " would insert " + missing
                    + " missing steps between " + rows + " rows (" + note + "); the data's most common step is "
                    + steps.mostCommon().map(Frequency::durationText).orElse("unknown")
                    + ": set timeseries.frequency to the data's step, or to none");
        }
    }

    /**
     * The sorted rows, duplicates resolved and missing steps inserted, partition by partition; the same rows when
     * the plan found them regular.
     */
    static JavaRDD<SeriesRow> regularize(JavaRDD<SeriesRow> sorted, Plan plan, Duplicates policy, List<String> paths,
                                         int channels, int categorical) {
        if (plan.regular()) return sorted;
        return sorted.mapPartitionsWithIndex((p, rows) -> {
            Iterator<SeriesRow> resolved = new Resolver(rows, policy, paths, r -> { });
            return plan.step() == 0 ? resolved : new Grid(resolved, plan.before()[p], plan, paths, channels,
                    categorical);
        }, true);
    }

    /** The quarantined rows of duplicated timestamps, as the rejected records they are. */
    static JavaRDD<Rejection> quarantined(JavaRDD<SeriesRow> sorted, List<String> paths) {
        return sorted.mapPartitions(rows -> {
            List<Rejection> out = new ArrayList<>();
            Resolver resolver = new Resolver(rows, Duplicates.QUARANTINE, paths, out::add);
            while (resolver.hasNext()) resolver.next();
            return out.iterator();
        });
    }

    /**
     * Rows of series on a grid of {@code step} seconds: a step missing between two rows of a series is inserted
     * with every value missing; a row off the grid is an input-data error naming file and line, and so is a
     * missing step when a column's missing values fail.
     */
    static final class Grid implements Iterator<SeriesRow> {
        private final Iterator<SeriesRow> rows;
        private final Plan plan;
        private final List<String> paths;
        private final int channels;
        private final int categorical;
        private SeriesRow previous;
        private SeriesRow held;
        private long nextMissing;

        Grid(Iterator<SeriesRow> rows, SeriesRow before, Plan plan, List<String> paths, int channels,
             int categorical) {
            this.rows = rows;
            this.previous = before;
            this.plan = plan;
            this.paths = paths;
            this.channels = channels;
            this.categorical = categorical;
        }

        @Override
        public boolean hasNext() {
            return held != null || rows.hasNext();
        }

        @Override
        public SeriesRow next() {
            if (held == null) {
                if (!rows.hasNext()) throw new NoSuchElementException();
                SeriesRow r = rows.next();
                if (previous == null || !previous.entity().equals(r.entity())) {
                    previous = r;
                    return r;
                }
                long step = plan.step();
                long gap = r.time() - previous.time();
                if (gap % step != 0) {
                    throw new InputDataException(at(r) + ": timestamp " + Timestamps.iso(r.time()) + " is not on the grid"
                            + " of " + Frequency.durationText(step) + " steps from the series' previous row, "
                            + Timestamps.iso(previous.time()) + " at " + at(previous) + " (" + plan.stepNote() + "): "
                            + "correct the timestamp, set timeseries.frequency to the data's step, or to none to "
                            + "take consecutive rows as consecutive steps");
                }
                if (gap == step) {
                    previous = r;
                    return r;
                }
                if (!plan.failing().isEmpty()) {
                    throw new InputDataException(at(r) + ": " + (gap / step - 1) + " missing step(s) of "
                            + Frequency.durationText(step) + (r.entity().isEmpty() ? "" : " in series " + r.entity())
                            + " between " + Timestamps.iso(previous.time()) + " (" + at(previous) + ") and "
                            + Timestamps.iso(r.time()) + " (" + plan.stepNote() + "); a missing step is a row of missing "
                            + "values, and timeseries.missing fails for " + plan.failing() + ": set "
                            + "timeseries.missing.default (or .columns) to interpolate, ffill or drop_windows, or "
                            + "timeseries.frequency = none to take consecutive rows as consecutive steps");
                }
                held = r;
                nextMissing = previous.time() + step;
            }
            if (nextMissing < held.time()) {
                SeriesRow missing = SeriesRow.missingStep(held.entity(), nextMissing, channels, categorical,
                        held.fileIndex());
                nextMissing += plan.step();
                return missing;
            }
            SeriesRow r = held;
            held = null;
            previous = r;
            return r;
        }

        private String at(SeriesRow r) {
            return paths.get(r.fileIndex()) + ":" + r.line();
        }
    }
}
