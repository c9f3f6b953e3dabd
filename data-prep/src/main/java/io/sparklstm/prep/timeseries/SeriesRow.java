package io.sparklstm.prep.timeseries;

import java.io.Serializable;

/**
 * A parsed row of a time-series table.
 *
 * @param entity    the series it belongs to ("" for a single series)
 * @param time      seconds since the epoch, UTC
 * @param values    the feature columns, raw
 * @param fileIndex input file, for messages
 * @param line      1-based line number, for messages
 */
public record SeriesRow(String entity, long time, double[] values, int fileIndex, long line) implements Serializable {
}
