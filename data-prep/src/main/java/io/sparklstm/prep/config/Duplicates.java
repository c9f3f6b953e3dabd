package io.sparklstm.prep.config;

/**
 * What rows of one series with the same timestamp do ({@code timeseries.duplicates}). "First" and "last" are
 * in input order: files in name order, lines in file order.
 */
public enum Duplicates {
    /** An input-data error naming both lines (exit code 3). */
    FAIL,
    /** The first row of the timestamp is kept, the others are dropped (and counted). */
    FIRST,
    /** The last row of the timestamp is kept. */
    LAST,
    /** One row with the mean of the present numeric values, and the first present categorical values. */
    MEAN,
    /** Every row of the timestamp goes to {@code rejected/} with its reason; the timestamp is then a missing step. */
    QUARANTINE
}
