package io.sparklstm.ml;

import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.List;

/**
 * The output parameters the forecaster and its model share (the estimator's values are copied to the model it fits),
 * the model's input column parameters, and the output columns' types.
 */
final class ForecastColumns {

    /** {@code [horizon step][target]} on the original scale. */
    static final DataType FORECAST = DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.DoubleType, false),
            false);

    private ForecastColumns() {
    }

    static Param<String> entityCol(Params owner) {
        return new Param<>(owner, "entityCol", ConfigParams.keyDoc("timeseries.entityColumn"));
    }

    static Param<String> timestampCol(Params owner) {
        return new Param<>(owner, "timestampCol", ConfigParams.keyDoc("timeseries.timestampColumn"));
    }

    static Param<String> forecastCol(Params owner) {
        return new Param<>(owner, "forecastCol", "output column: horizon x targets forecast from the window ending "
                + "at the row, null where the row ends no full window");
    }

    static Param<String> predictionCol(Params owner) {
        return new Param<>(owner, "predictionCol", "output column (double): the forecast of predictionTarget "
                + "predictionStep steps after the row, null where forecastCol is; what RegressionEvaluator scores");
    }

    static Param<String> predictionTarget(Params owner) {
        return new Param<>(owner, "predictionTarget", "the target whose forecast predictionCol holds; empty: the "
                + "first target");
    }

    static IntParam predictionStep(Params owner) {
        return new IntParam(owner, "predictionStep", "the horizon step (1 .. horizonSteps) whose forecast "
                + "predictionCol holds; 0: the last, horizonSteps", ParamValidators.<Object>gtEq(0));
    }

    /** The model's input columns: the shipped defaults, as the estimator's. */
    static void setInputDefaults(Params owner, Param<String> entity, Param<String> timestamp) {
        owner.setDefault(entity, ConfigParams.DEFAULTS.getString("timeseries.entityColumn"));
        owner.setDefault(timestamp, ConfigParams.DEFAULTS.getString("timeseries.timestampColumn"));
    }

    /** forecast, prediction, the first target, the last step. */
    static void setOutputDefaults(Params owner, Param<String> forecast, Param<String> prediction,
                                  Param<String> target, IntParam step) {
        owner.setDefault(forecast, "forecast");
        owner.setDefault(prediction, "prediction");
        owner.setDefault(target, "");
        owner.setDefault(step, 0);
    }

    /** The schema with the forecast and prediction columns added; either existing already is refused. */
    static StructType withOutputs(StructType schema, String forecast, String prediction, String uid) {
        for (String column : List.of(forecast, prediction)) {
            if (List.of(schema.fieldNames()).contains(column)) {
                throw new IllegalArgumentException(uid + ": output column '" + column + "' already exists");
            }
        }
        if (forecast.equals(prediction)) {
            throw new IllegalArgumentException(uid + ": forecastCol and predictionCol are both '" + forecast + "'");
        }
        return schema.add(forecast, FORECAST, true).add(prediction, DataTypes.DoubleType, true);
    }
}
