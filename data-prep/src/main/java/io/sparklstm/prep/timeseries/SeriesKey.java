package io.sparklstm.prep.timeseries;

import java.io.Serializable;
import java.util.Comparator;

/** Orders rows by series, then time. */
public record SeriesKey(String entity, long time) implements Comparable<SeriesKey>, Serializable {

    private static final Comparator<SeriesKey> ORDER =
            Comparator.comparing(SeriesKey::entity).thenComparingLong(SeriesKey::time);

    @Override
    public int compareTo(SeriesKey other) {
        return ORDER.compare(this, other);
    }
}
