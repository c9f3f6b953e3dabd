package io.sparklstm.prep.timeseries;

import io.sparklstm.prep.export.Hashing;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Assigns each row to train (0), validation (1), test (2) or none (-1): by its timestamp against end dates,
 * by its position within its series against the series' fraction boundaries, or (entity split) by its
 * series, whole series being assigned in the fraction proportions.
 */
final class SeriesSplits implements Serializable {

    /** Rows of one series: the index of its first row (in series-then-time order) and how many. */
    record Series(long first, long rows) implements Serializable {
    }

    /** Exclusive ends of consecutive time ranges (by date) or of fractions of each series' rows; one is null. */
    private final long[] dateEnds;
    private final double[] cumulative;
    /** The split of each range: train, validation, test, or (between a fold's validation and test) none. */
    private final int[] rangeSplit;
    private final Map<String, Series> series;
    private final Map<String, Integer> entitySplit;

    private SeriesSplits(long[] dateEnds, double[] cumulative, int[] rangeSplit, Map<String, Series> series,
                         Map<String, Integer> entitySplit) {
        this.dateEnds = dateEnds;
        this.cumulative = cumulative;
        this.rangeSplit = rangeSplit;
        this.series = series;
        this.entitySplit = entitySplit;
    }

    private static final int[] PLAIN = {0, 1, 2};
    /** A fold of rolling-origin cross-validation: its validation range, then none up to the test range. */
    private static final int[] FOLD = {0, 1, -1, 2};

    static SeriesSplits byDates(long trainEnd, long validationEnd, long testEnd, Map<String, Series> series) {
        return byDates(trainEnd, validationEnd, testEnd, 0, 0, series);
    }

    /**
     * By timestamp. With {@code folds} k > 0 (rolling-origin cross-validation), fold j validates on the range of the
     * configured validation's length that ends {@code k - 1 - j} such lengths before the configured validation's
     * end, and trains on everything before it; the rows between its validation and the test range are in no split,
     * the test range is as configured. Fold k - 1 is the configured split.
     */
    static SeriesSplits byDates(long trainEnd, long validationEnd, long testEnd, int folds, int fold,
                                Map<String, Series> series) {
        if (!(trainEnd < validationEnd && validationEnd <= testEnd)) {
            throw new IllegalArgumentException("split.trainEnd, split.validationEnd and split.testEnd must be in "
                    + "increasing order");
        }
        if (folds == 0) {
            return new SeriesSplits(new long[]{trainEnd, validationEnd, testEnd}, null, PLAIN, new HashMap<>(series),
                    null);
        }
        long shift = (folds - 1L - fold) * (validationEnd - trainEnd);
        return new SeriesSplits(new long[]{trainEnd - shift, validationEnd - shift, validationEnd, testEnd}, null,
                FOLD, new HashMap<>(series), null);
    }

    /** The first fractions of each series' rows, in time order, to train, validation and test. */
    static SeriesSplits byFractions(List<Double> fractions, Map<String, Series> series) {
        return byFractions(fractions, 0, 0, series);
    }

    /**
     * By fractions of each series' rows in time order; with {@code folds}, fold j's validation is the validation
     * fraction ending {@code k - 1 - j} validation fractions before the configured one's end (as
     * {@link #byDates(long, long, long, int, int, Map)} by time).
     */
    static SeriesSplits byFractions(List<Double> fractions, int folds, int fold, Map<String, Series> series) {
        double[] ends = cumulative(fractions);
        if (folds == 0) {
            return new SeriesSplits(null, ends, PLAIN, new HashMap<>(series), null);
        }
        double shift = (folds - 1.0 - fold) * fractions.get(1);
        return new SeriesSplits(null, new double[]{ends[0] - shift, ends[1] - shift, ends[1], ends[2]}, FOLD,
                new HashMap<>(series), null);
    }

    /**
     * Whole series to train, validation and test: series ordered by a seeded hash of their name, the first
     * {@code round(n * train)} to train, and so on. The same names and seed always give the same assignment.
     */
    static SeriesSplits byEntity(List<Double> fractions, Map<String, Series> series, long seed) {
        List<String> names = new ArrayList<>(series.keySet());
        names.sort(Comparator.comparingLong((String e) -> hash(seed, e)).thenComparing(Comparator.naturalOrder()));
        double[] ends = cumulative(fractions);
        Map<String, Integer> assigned = new HashMap<>();
        int s = 0;
        for (int i = 0; i < names.size(); i++) {
            while (s < ends.length && i >= Math.round(names.size() * ends[s])) s++;
            assigned.put(names.get(i), s < ends.length ? s : -1);
        }
        return new SeriesSplits(null, null, null, new HashMap<>(series), assigned);
    }

    int of(SeriesRow row, long index) {
        if (entitySplit != null) {
            return entitySplit.getOrDefault(row.entity(), -1);
        }
        if (dateEnds != null) {
            for (int s = 0; s < dateEnds.length; s++) {
                if (row.time() < dateEnds[s]) return rangeSplit[s];
            }
            return -1;
        }
        Series of = series.get(row.entity());
        long local = index - of.first();
        for (int s = 0; s < cumulative.length; s++) {
            if (local < Math.round(of.rows() * cumulative[s])) return rangeSplit[s];
        }
        return -1;
    }

    /** Index of the first row of a series. */
    long firstRow(String entity) {
        return series.get(entity).first();
    }

    /** Split of each series (entity split only), for tests and messages. */
    Map<String, Integer> entitySplits() {
        return entitySplit == null ? Map.of() : Map.copyOf(entitySplit);
    }

    private static double[] cumulative(List<Double> fractions) {
        double[] ends = new double[fractions.size()];
        double sum = 0;
        for (int i = 0; i < ends.length; i++) {
            sum += fractions.get(i);
            ends[i] = sum;
        }
        return ends;
    }

    private static long hash(long seed, String entity) {
        byte[] bytes = entity.getBytes(StandardCharsets.UTF_8);
        long h = 1125899906842597L;
        for (byte b : bytes) h = 31 * h + b;
        return Hashing.mix(seed, h, bytes.length);
    }
}
