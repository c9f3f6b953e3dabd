package io.sparklstm.prep.timeseries;

import io.sparklstm.prep.io.InOrder;
import io.sparklstm.prep.io.InputDataException;
import io.sparklstm.prep.timeseries.TimeSeriesPreparer.IndexedRow;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Windows over rows that are already sorted by series and time and numbered, without moving them again: each
 * partition is read in order, followed by the first rows of the partitions after it, so that every window
 * that starts in the partition is whole. The followers are small (one window's span per partition) and are
 * broadcast; the rows themselves stay where the sort put them, so a single long series is windowed by as
 * many tasks as it has partitions.
 */
final class OrderedSpans {

    private OrderedSpans() {
    }

    /** What to make of the {@code span} rows from {@code from}: a value, or null for none. */
    interface At<T> extends Serializable {
        T at(List<IndexedRow> rows, int from);
    }

    /**
     * For each partition of {@code rows}, the first {@code n} rows after its last one (fewer at the end),
     * gathered from as many following partitions as it takes. One small job: each task reads only its
     * partition's first {@code n} rows.
     */
    static List<List<IndexedRow>> followers(JavaRDD<IndexedRow> rows, int n) {
        List<List<IndexedRow>> heads = InOrder.perPartition(rows, (p, it) -> {
            List<IndexedRow> head = new ArrayList<>();
            while (head.size() < n && it.hasNext()) head.add(it.next());
            return head;
        });
        List<List<IndexedRow>> out = new ArrayList<>(heads.size());
        for (int p = 0; p < heads.size(); p++) {
            List<IndexedRow> next = new ArrayList<>(n);
            for (int q = p + 1; q < heads.size() && next.size() < n; q++) {
                List<IndexedRow> head = heads.get(q);
                next.addAll(head.subList(0, Math.min(head.size(), n - next.size())));
            }
            out.add(next);
        }
        return out;
    }

    /**
     * Calls {@code at} for every row of {@code own} with the {@code span} rows from it (taking rows of
     * {@code next} where the partition ends), and yields what it returns, lazily: at most a few thousand rows
     * are held at a time. Fails on a timestamp that repeats within a series, naming both lines.
     */
    static <T> Iterator<T> slide(Iterator<IndexedRow> own, List<IndexedRow> next, int span, List<String> paths,
                                 At<T> at) {
        return new Iterator<>() {
            private final List<IndexedRow> buffer = new ArrayList<>();
            private final Iterator<IndexedRow> following = next.iterator();
            private int from;            // position in buffer of the next window start
            private long removed;        // rows removed from the front of the buffer
            private long ownRows;        // rows taken from own so far
            private IndexedRow previous;
            private T ready;

            private boolean fill() {
                while (buffer.size() < from + span) {
                    IndexedRow row;
                    if (own.hasNext()) {
                        row = own.next();
                        ownRows++;
                    } else if (following.hasNext()) {
                        row = following.next();
                    } else {
                        return false;
                    }
                    checkDistinct(previous, row, paths);
                    previous = row;
                    buffer.add(row);
                }
                return true;
            }

            @Override
            public boolean hasNext() {
                while (ready == null) {
                    if (from > 4096) {
                        buffer.subList(0, from).clear();
                        removed += from;
                        from = 0;
                    }
                    if (!fill() || removed + from >= ownRows) return false;
                    ready = at.at(buffer, from);
                    from++;
                }
                return true;
            }

            @Override
            public T next() {
                if (!hasNext()) throw new NoSuchElementException();
                T out = ready;
                ready = null;
                return out;
            }
        };
    }

    /** Fails when two consecutive rows of one series have the same timestamp. */
    static void checkDistinct(IndexedRow previous, IndexedRow row, List<String> paths) {
        if (previous == null) return;
        SeriesRow a = previous.row();
        SeriesRow b = row.row();
        if (a.entity().equals(b.entity()) && a.time() == b.time()) {
            throw new InputDataException(paths.get(b.fileIndex()) + ":" + b.line() + ": duplicate timestamp "
                    + Timestamps.iso(b.time()) + (b.entity().isEmpty() ? "" : " in series " + b.entity())
                    + ", also at " + paths.get(a.fileIndex()) + ":" + a.line());
        }
    }
}
