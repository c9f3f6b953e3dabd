package io.sparklstm.prep.config;

import java.util.function.Consumer;

/**
 * The kinds of raw data that {@code prepare} understands. Each names the cross-key checks of its settings, which
 * {@link PrepareConfig}'s constructor runs before any Spark work (they live beside the kind's settings record,
 * below the kinds' own packages, so that every {@code PrepareConfig} is a valid one); what each kind does with
 * Spark is registered in {@code io.sparklstm.prep.job.DatasetKinds}.
 */
public enum DatasetKind {
    /** A table of timestamped rows with numeric columns, cut into windows for forecasting. */
    TIMESERIES(TimeSeriesConfig::validateKind),
    /** One labelled sequence per line, for sequence classification. */
    SEQUENCES(SequencesConfig::validateKind),
    /**
     * The sktime/UEA {@code .ts} format: a header of {@code @} lines, then one labelled multichannel case per
     * line, of variable length; for sequence classification.
     */
    TS(TsConfig::validateKind),
    /**
     * Character-level text, cut by position into sequences for next-character prediction (a label at every
     * step).
     */
    TEXT(TextConfig::validateKind);

    private final Consumer<PrepareConfig> validation;

    DatasetKind(Consumer<PrepareConfig> validation) {
        this.validation = validation;
    }

    /** Fails with the key at fault when {@code config}'s settings do not fit this kind. */
    void validate(PrepareConfig config) {
        validation.accept(config);
    }
}
