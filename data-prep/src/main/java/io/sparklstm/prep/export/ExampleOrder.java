package io.sparklstm.prep.export;

import java.io.Serializable;
import java.util.Comparator;

/**
 * Sort key of an example: by split, then by a seeded hash (a deterministic shuffle; 0 keeps natural order),
 * then by entity and position, which are unique, so the order is total and the output reproducible.
 */
public record ExampleOrder(int split, long shuffle, String entity, long position)
        implements Comparable<ExampleOrder>, Serializable {

    private static final Comparator<ExampleOrder> ORDER = Comparator.comparingInt(ExampleOrder::split)
            .thenComparingLong(ExampleOrder::shuffle)
            .thenComparing(ExampleOrder::entity)
            .thenComparingLong(ExampleOrder::position);

    /** Training examples are shuffled, evaluation examples stay in entity and time order. */
    public static ExampleOrder of(Example e, long seed) {
        long shuffle = e.split() == 0 ? Hashing.mix(seed, e.entity().hashCode(), e.position()) : 0L;
        return new ExampleOrder(e.split(), shuffle, e.entity(), e.position());
    }

    @Override
    public int compareTo(ExampleOrder other) {
        return ORDER.compare(this, other);
    }
}
