package io.sparklstm.ml;

import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The column parameters the estimator and its model share, with Spark's names and defaults: the estimator's
 * values are copied to the model it fits.
 */
final class ColumnParams {

    private ColumnParams() {
    }

    static Param<String> featuresCol(Params owner) {
        return new Param<>(owner, "featuresCol", "column of sequences, one per row: array<array<double>> (steps x "
                + "channels) or array<vector> (a vector of channels per step); lengths may differ");
    }

    static Param<String> labelCol(Params owner) {
        return new Param<>(owner, "labelCol", "column of class indexes (0, 1, ... as doubles)");
    }

    static Param<String> predictionCol(Params owner) {
        return new Param<>(owner, "predictionCol", "output column of the predicted class index (double)");
    }

    static Param<String> probabilityCol(Params owner) {
        return new Param<>(owner, "probabilityCol", "output column of the class probabilities (vector)");
    }

    /** Spark's own defaults: features, label, prediction, probability. */
    static void setDefaults(Params owner, Param<String> features, Param<String> label, Param<String> prediction,
                            Param<String> probability) {
        owner.setDefault(features, "features");
        owner.setDefault(label, "label");
        owner.setDefault(prediction, "prediction");
        owner.setDefault(probability, "probability");
    }
}
