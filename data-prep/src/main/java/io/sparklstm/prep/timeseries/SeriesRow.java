package io.sparklstm.prep.timeseries;

import java.io.Serializable;

/**
 * A parsed row of a time-series table.
 *
 * @param entity     the series it belongs to ("" for a single series)
 * @param time       seconds since the epoch, UTC
 * @param values     the numeric feature columns, raw; NaN where the value is missing
 * @param categories the categorical columns' values; null where missing
 * @param fileIndex  input file, for messages
 * @param line       1-based line number, for messages
 */
public record SeriesRow(String entity, long time, double[] values, String[] categories, int fileIndex, long line)
        implements Serializable {

    /** The same row with other numeric values. */
    SeriesRow withValues(double[] newValues) {
        return new SeriesRow(entity, time, newValues, categories, fileIndex, line);
    }
}
