package io.sparklstm.prep.timeseries;

import io.sparklstm.prep.config.MissingConfig.Policy;
import io.sparklstm.prep.Tally;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class GapFillerTest {

    private static final double NA = Double.NaN;

    /** Rows numbered from {@code first}, one numeric column, the given entity per row. */
    private static List<TimeSeriesPreparer.IndexedRow> rows(long first, String[] entities, double... values) {
        List<TimeSeriesPreparer.IndexedRow> out = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            out.add(new TimeSeriesPreparer.IndexedRow(first + i,
                    new SeriesRow(entities[i], i, new double[]{values[i]}, new String[0], 0, i + 2), 0));
        }
        return out;
    }

    private static String[] same(int n, String entity) {
        String[] e = new String[n];
        java.util.Arrays.fill(e, entity);
        return e;
    }

    /** Fills the rows as if split into partitions at the given row positions. */
    private static double[] fill(List<TimeSeriesPreparer.IndexedRow> rows, Policy policy, Tally filled,
                                 int... cuts) {
        List<List<TimeSeriesPreparer.IndexedRow>> parts = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            parts.add(rows.subList(from, cut));
            from = cut;
        }
        parts.add(rows.subList(from, rows.size()));
        List<GapFiller.Edges> edges = parts.stream().map(p -> GapFiller.edges(p.iterator(), 1)).toList();
        List<GapFiller.Carry> carries = GapFiller.carries(edges, 1);
        List<Double> out = new ArrayList<>();
        for (int p = 0; p < parts.size(); p++) {
            new GapFiller(parts.get(p).iterator(), new Policy[]{policy}, carries.get(p), filled, new String[]{"filled"})
                    .forEachRemaining(r -> out.add(r.row().values()[0]));
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void interpolatesLinearlyInRowOrderAndLeavesTheEdgesMissing() {
        Tally filled = new Tally();
        double[] out = fill(rows(0, same(8, ""), NA, 1, NA, NA, 4, NA, 10, NA), Policy.INTERPOLATE, filled);
        assertArrayEquals(new double[]{NA, 1, 2, 3, 4, 7, 10, NA}, out, 1e-12);
        assertEquals(3L, (long) filled.counts().getOrDefault("filled", 0L));
    }

    @Test
    void interpolationIsTheSameWhereverPartitionsBegin() {
        List<TimeSeriesPreparer.IndexedRow> rows = rows(100, same(10, ""), 0, NA, NA, NA, NA, NA, NA, NA, NA, 9);
        double[] whole = fill(rows, Policy.INTERPOLATE, new Tally());
        double[] cut = fill(rows, Policy.INTERPOLATE, new Tally(), 3, 4, 7);
        assertArrayEquals(new double[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, whole, 1e-12);
        assertArrayEquals(whole, cut, 1e-12);
    }

    @Test
    void forwardFillStaysWithinItsSeries() {
        String[] entities = {"a", "a", "a", "b", "b", "b"};
        double[] out = fill(rows(0, entities, 5, NA, NA, NA, 7, NA), Policy.FFILL, new Tally(), 2);
        assertArrayEquals(new double[]{5, 5, 5, NA, 7, 7}, out, 1e-12);
    }

    @Test
    void interpolationNeverBridgesTwoSeries() {
        String[] entities = {"a", "a", "a", "b", "b", "b"};
        Tally filled = new Tally();
        double[] out = fill(rows(0, entities, 1, NA, NA, NA, 5, 6), Policy.INTERPOLATE, filled, 4);
        assertArrayEquals(new double[]{1, NA, NA, NA, 5, 6}, out, 1e-12);
        assertEquals(0L, (long) filled.counts().getOrDefault("filled", 0L));
    }

    @Test
    void dropWindowsLeavesValuesMissing() {
        double[] out = fill(rows(0, same(3, ""), 1, NA, 3), Policy.DROP_WINDOWS, new Tally());
        assertArrayEquals(new double[]{1, NA, 3}, out, 1e-12);
    }
}
