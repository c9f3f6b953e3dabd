package io.sparklstm.prep;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * Named counts kept by one task while it computes one partition (values filled, windows dropped, ...), handed to
 * {@link PartitionCounts} once the partition is done.
 */
public final class Tally implements Serializable {

    private final Map<String, Long> counts = new TreeMap<>();

    public void add(String name, long n) {
        counts.merge(name, n, Long::sum);
    }

    /** A copy of the counts so far. */
    public Map<String, Long> counts() {
        return new TreeMap<>(counts);
    }
}
