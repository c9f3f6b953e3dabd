package io.sparklstm.prep.config;

/** The kinds of raw data that {@code prepare} understands. */
public enum DatasetKind {
    /** A table of timestamped rows with numeric columns, cut into windows for forecasting. */
    TIMESERIES,
    /** One labelled sequence per line, for sequence classification. */
    SEQUENCES,
    /**
     * The sktime/UEA {@code .ts} format: a header of {@code @} lines, then one labelled multichannel case per
     * line, of variable length; for sequence classification.
     */
    TS,
    /**
     * Character-level text, cut by position into sequences for next-character prediction (a label at every
     * step).
     */
    TEXT
}
