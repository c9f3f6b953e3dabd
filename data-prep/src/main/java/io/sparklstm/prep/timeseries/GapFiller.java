package io.sparklstm.prep.timeseries;

import io.sparklstm.prep.config.MissingConfig.Policy;

import io.sparklstm.prep.Tally;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Fills missing numeric values of rows in series-then-time order, one partition at a time, streaming: FFILL
 * takes the last present value of the same series, INTERPOLATE is linear in row order between the nearest
 * present values of the same series. What cannot be filled (before the first or after the last present
 * value of a series, or any value of another policy) stays NaN, and the windows touching it are dropped.
 *
 * <p>Partitions hold consecutive rows, so a gap may cross a partition boundary: each partition starts from
 * the last present value before it and ends with the first present value after it ({@link #carries}), found
 * from every partition's {@link Edges} before filling. Filling therefore happens before windows are cut, and
 * a window reaching into the next partition sees the values that partition fills.
 */
final class GapFiller implements Iterator<TimeSeriesPreparer.IndexedRow> {

    /** A present value: its series, its row index and the value. */
    record Anchor(String entity, long index, double value) implements Serializable {
    }

    /** The first and last present value of each column in one partition (null where none). */
    record Edges(Anchor[] first, Anchor[] last) implements Serializable {
    }

    /** For each partition, the last present value before it and the first one after it, per column. */
    record Carry(Anchor[] before, Anchor[] after) implements Serializable {
    }

    static Edges edges(Iterator<TimeSeriesPreparer.IndexedRow> rows, int columns) {
        Anchor[] first = new Anchor[columns];
        Anchor[] last = new Anchor[columns];
        while (rows.hasNext()) {
            TimeSeriesPreparer.IndexedRow r = rows.next();
            double[] v = r.row().values();
            for (int c = 0; c < columns; c++) {
                if (Double.isNaN(v[c])) continue;
                Anchor a = new Anchor(r.row().entity(), r.index(), v[c]);
                if (first[c] == null) first[c] = a;
                last[c] = a;
            }
        }
        return new Edges(first, last);
    }

    /** The carries of each partition, from the edges of all partitions in partition order. */
    static List<Carry> carries(List<Edges> edges, int columns) {
        int n = edges.size();
        Anchor[][] before = new Anchor[n][columns];
        Anchor[][] after = new Anchor[n][columns];
        for (int p = 1; p < n; p++) {
            for (int c = 0; c < columns; c++) {
                Anchor last = edges.get(p - 1).last()[c];
                before[p][c] = last != null ? last : before[p - 1][c];
            }
        }
        for (int p = n - 2; p >= 0; p--) {
            for (int c = 0; c < columns; c++) {
                Anchor first = edges.get(p + 1).first()[c];
                after[p][c] = first != null ? first : after[p + 1][c];
            }
        }
        List<Carry> out = new ArrayList<>(n);
        for (int p = 0; p < n; p++) out.add(new Carry(before[p], after[p]));
        return out;
    }

    private static final class Pending {
        final TimeSeriesPreparer.IndexedRow row;
        final double[] values;
        int unresolved;

        Pending(TimeSeriesPreparer.IndexedRow row) {
            this.row = row;
            this.values = row.row().values().clone();
        }

        String entity() {
            return row.row().entity();
        }
    }

    private final Iterator<TimeSeriesPreparer.IndexedRow> in;
    private final Policy[] policies;
    private final Anchor[] previous;
    private final Anchor[] after;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final List<List<Pending>> waiting = new ArrayList<>();
    private final Tally tally;
    private final String[] filled;
    private boolean finished;

    /**
     * @param tally  counts, per column, the values filled
     * @param filled the name under which each column's filled values are counted
     */
    GapFiller(Iterator<TimeSeriesPreparer.IndexedRow> rows, Policy[] policies, Carry carry, Tally tally,
              String[] filled) {
        this.in = rows;
        this.policies = policies;
        this.previous = carry.before().clone();
        this.after = carry.after();
        this.tally = tally;
        this.filled = filled;
        for (int c = 0; c < policies.length; c++) waiting.add(new ArrayList<>());
    }

    @Override
    public boolean hasNext() {
        while (queue.isEmpty() || queue.peekFirst().unresolved > 0) {
            if (in.hasNext()) {
                accept(in.next());
            } else if (!finished) {
                finished = true;
                for (int c = 0; c < policies.length; c++) resolve(c, after[c]);
            } else {
                break;
            }
        }
        return !queue.isEmpty();
    }

    @Override
    public TimeSeriesPreparer.IndexedRow next() {
        if (!hasNext()) throw new NoSuchElementException();
        Pending p = queue.removeFirst();
        TimeSeriesPreparer.IndexedRow r = p.row;
        return new TimeSeriesPreparer.IndexedRow(r.index(), r.row().withValues(p.values), r.split());
    }

    private void accept(TimeSeriesPreparer.IndexedRow row) {
        Pending p = new Pending(row);
        for (int c = 0; c < policies.length; c++) {
            List<Pending> gap = waiting.get(c);
            if (!gap.isEmpty() && !gap.get(0).entity().equals(p.entity())) {
                resolve(c, null);
            }
            double v = p.values[c];
            if (!Double.isNaN(v)) {
                Anchor here = new Anchor(p.entity(), row.index(), v);
                resolve(c, here);
                previous[c] = here;
                continue;
            }
            Anchor last = previous[c];
            if (last == null || !last.entity().equals(p.entity())) continue;
            if (policies[c] == Policy.FFILL) {
                p.values[c] = last.value();
                tally.add(filled[c], 1);
            } else if (policies[c] == Policy.INTERPOLATE) {
                gap.add(p);
                p.unresolved++;
            }
        }
        queue.addLast(p);
    }

    /** Ends the gap of column {@code c} at {@code next} (null, or another series: left missing). */
    private void resolve(int c, Anchor next) {
        List<Pending> gap = waiting.get(c);
        if (gap.isEmpty()) return;
        Anchor last = previous[c];
        for (Pending p : gap) {
            if (next != null && next.entity().equals(p.entity())) {
                double share = (double) (p.row.index() - last.index()) / (next.index() - last.index());
                p.values[c] = last.value() + (next.value() - last.value()) * share;
                tally.add(filled[c], 1);
            }
            p.unresolved--;
        }
        gap.clear();
    }
}
