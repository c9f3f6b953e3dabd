package io.sparklstm.prep;

import org.apache.spark.SparkContext;
import org.apache.spark.util.AccumulatorV2;

import java.io.Serializable;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;

/**
 * Counts made while a partition is computed (values filled, windows dropped, unseen categories) that stay exact
 * when a partition is computed more than once. A plain accumulator updated in a transformation counts a
 * partition again whenever Spark recomputes it (a retried task, a lost executor's cached blocks); here each
 * partition's counts are kept by its index, and a recomputation, which yields the same counts from the same
 * rows, replaces nothing. Only tasks that finish report (Spark drops the updates of failed tasks), and a
 * partition reports only once its iterator is exhausted ({@link #whenDone}).
 */
public final class PartitionCounts extends AccumulatorV2<PartitionCounts.Part, Map<String, Long>> {

    /** The counts of one partition. */
    public record Part(int partition, Map<String, Long> counts) implements Serializable {
    }

    private final TreeMap<Integer, Map<String, Long>> parts = new TreeMap<>();

    /** A new accumulator registered with the context under {@code name}. */
    public static PartitionCounts register(SparkContext sc, String name) {
        PartitionCounts counts = new PartitionCounts();
        sc.register(counts, name);
        return counts;
    }

    /**
     * {@code rows}, reporting {@code tally} as partition {@code partition}'s counts when they run out: the
     * counts are complete only once every row has been computed.
     */
    public <T> Iterator<T> whenDone(int partition, Tally tally, Iterator<T> rows) {
        return new Iterator<>() {
            private boolean reported;

            @Override
            public boolean hasNext() {
                boolean more = rows.hasNext();
                if (!more && !reported) {
                    reported = true;
                    add(new Part(partition, tally.counts()));
                }
                return more;
            }

            @Override
            public T next() {
                if (!hasNext()) throw new NoSuchElementException();
                return rows.next();
            }
        };
    }

    /** The counts of every partition, summed by name. */
    @Override
    public Map<String, Long> value() {
        Map<String, Long> sum = new TreeMap<>();
        parts.values().forEach(part -> part.forEach((name, n) -> sum.merge(name, n, Long::sum)));
        return sum;
    }

    /** The count of {@code name}, 0 when no partition counted it. */
    public long value(String name) {
        return value().getOrDefault(name, 0L);
    }

    /** Partitions that reported. */
    public int partitions() {
        return parts.size();
    }

    @Override
    public boolean isZero() {
        return parts.isEmpty();
    }

    @Override
    public AccumulatorV2<Part, Map<String, Long>> copy() {
        PartitionCounts copy = new PartitionCounts();
        copy.parts.putAll(parts);
        return copy;
    }

    @Override
    public void reset() {
        parts.clear();
    }

    @Override
    public void add(Part part) {
        parts.putIfAbsent(part.partition(), part.counts());
    }

    @Override
    public void merge(AccumulatorV2<Part, Map<String, Long>> other) {
        ((PartitionCounts) other).parts.forEach(parts::putIfAbsent);
    }
}
