package io.sparklstm.prep.timeseries;

import java.io.Serializable;

/**
 * A parsed row of a time-series table, or a step the time axis was missing ({@link #inserted()}).
 *
 * @param entity     the series it belongs to ("" for a single series)
 * @param time       seconds since the epoch, UTC; for a table in row order, the row's place in the input
 *                   ({@link #ordinal}), which orders rows by file and line
 * @param values     the numeric feature columns, raw; NaN where the value is missing
 * @param categories the categorical columns' values; null where missing
 * @param fileIndex  input file, for messages (of the row after the gap, for an inserted step)
 * @param line       1-based line number, for messages; 0 for an inserted step
 * @param text       the row as read, kept only where quarantining duplicate timestamps needs it; else empty
 */
public record SeriesRow(String entity, long time, double[] values, String[] categories, int fileIndex, long line,
                        String text) implements Serializable {

    /** A row whose text is not kept. */
    public SeriesRow(String entity, long time, double[] values, String[] categories, int fileIndex, long line) {
        this(entity, time, values, categories, fileIndex, line, "");
    }

    /** A step missing from the input: every value missing, no line of its own. */
    static SeriesRow missingStep(String entity, long time, int channels, int categorical, int fileIndex) {
        double[] values = new double[channels];
        java.util.Arrays.fill(values, Double.NaN);
        return new SeriesRow(entity, time, values, new String[categorical], fileIndex, 0, "");
    }

    /** Whether this step was missing from the input and inserted on the time axis. */
    boolean inserted() {
        return line == 0;
    }

    /** The time of a row of a table in row order: its file, then its line. */
    static long ordinal(int fileIndex, long line) {
        return ((long) fileIndex << 40) | line;
    }

    /** The same row with other numeric values. */
    SeriesRow withValues(double[] newValues) {
        return new SeriesRow(entity, time, newValues, categories, fileIndex, line, text);
    }
}
