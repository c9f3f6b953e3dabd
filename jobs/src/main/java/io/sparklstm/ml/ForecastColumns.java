package io.sparklstm.ml;

import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.List;

/** The column parameters the forecaster and its model share, and the forecast column's type. */
final class ForecastColumns {

    /** {@code [horizon step][target]} on the original scale. */
    static final DataType FORECAST = DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.DoubleType, false),
            false);

    private ForecastColumns() {
    }

    static Param<String> entityCol(Params owner) {
        return new Param<>(owner, "entityCol", "column naming the series a row belongs to; empty: one series "
                + "(timeseries.entityColumn)");
    }

    static Param<String> timestampCol(Params owner) {
        return new Param<>(owner, "timestampCol", "timestamp column (timeseries.timestampColumn)");
    }

    static Param<String> forecastCol(Params owner) {
        return new Param<>(owner, "forecastCol", "output column: horizon x targets forecast from the window ending "
                + "at the row, null where the row ends no full window");
    }

    static void setDefaults(Params owner, Param<String> entity, Param<String> timestamp, Param<String> forecast) {
        owner.setDefault(entity, ConfigParams.DEFAULTS.getString("timeseries.entityColumn"));
        owner.setDefault(timestamp, ConfigParams.DEFAULTS.getString("timeseries.timestampColumn"));
        owner.setDefault(forecast, "forecast");
    }

    static StructType withForecast(StructType schema, String column, String uid) {
        if (List.of(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException(uid + ": output column '" + column + "' already exists");
        }
        return schema.add(column, FORECAST, true);
    }
}
