package io.sparklstm.prep;

import org.apache.spark.api.java.JavaRDD;

/**
 * New raw data as {@code predict} scores it, one shape per task: windows of a table for a forecasting model,
 * labelled (or unlabelled) sequences for a classifier.
 */
public sealed interface ScoringCases {

    /**
     * The windows a forecasting model scores, with the counts of what was read and dropped. Implemented by the
     * time-series kind's {@code ForecastInputs}: an interface, not a record holding it, so that this package, which
     * every kind builds on, does not depend on a kind's package.
     */
    non-sealed interface Windows extends ScoringCases {
    }

    /** The sequences a classifier scores, each with its file and line. */
    record Sequences(JavaRDD<? extends LabelledSequence> cases) implements ScoringCases {
    }
}
