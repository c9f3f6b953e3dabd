package io.sparklstm.prep.config;

import java.io.Serializable;
import java.util.List;

/**
 * A time-series table cut into forecasting windows: {@code windowSteps} rows of all feature columns as
 * input, the next {@code horizonSteps} rows of the target columns as labels.
 *
 * @param timestampColumn name of the timestamp column
 * @param timestampFormat {@link java.time.format.DateTimeFormatter} pattern of the timestamps
 * @param featureColumns  input columns; empty: every column except the timestamp
 * @param targetColumns   forecast targets, a subset of the features; empty: all features
 * @param windowSteps     input steps per window
 * @param horizonSteps    forecast steps per window
 * @param strideSteps     steps between the starts of consecutive windows
 * @param chunkRows       rows per parallel windowing task; chunks overlap by one window
 * @param targetOffset    NONE: targets are the standardized future values; LAST: the change from the last
 *                        input step's value. Errors are the same either way (the offset is known exactly);
 *                        LAST lets the network model changes, which generalizes across level shifts.
 */
public record TimeSeriesConfig(String timestampColumn, String timestampFormat, List<String> featureColumns,
                               List<String> targetColumns, int windowSteps, int horizonSteps, int strideSteps,
                               int chunkRows, TargetOffset targetOffset) implements Serializable {

    /** What forecast targets are measured from. */
    public enum TargetOffset { NONE, LAST }

    public TimeSeriesConfig {
        Settings.nonBlank("timeseries.timestampColumn", timestampColumn);
        Settings.nonBlank("timeseries.timestampFormat", timestampFormat);
        try {
            java.time.format.DateTimeFormatter.ofPattern(timestampFormat);
        } catch (IllegalArgumentException e) {
            throw Settings.invalid("timeseries.timestampFormat", timestampFormat,
                    "a java.time pattern such as yyyy-MM-dd HH:mm:ss (" + e.getMessage() + ")");
        }
        featureColumns = List.copyOf(featureColumns);
        targetColumns = List.copyOf(targetColumns);
        Settings.positive("timeseries.windowSteps", windowSteps);
        Settings.positive("timeseries.horizonSteps", horizonSteps);
        Settings.positive("timeseries.strideSteps", strideSteps);
        Settings.positive("timeseries.chunkRows", chunkRows);
        if (targetOffset == null) throw Settings.invalid("timeseries.targetOffset", null, "none or last");
        if (!featureColumns.isEmpty()) {
            for (String target : targetColumns) {
                if (!featureColumns.contains(target)) {
                    throw Settings.invalid("timeseries.targetColumns", targetColumns,
                            "columns that are also in timeseries.featureColumns " + featureColumns);
                }
            }
        }
        if (featureColumns.contains(timestampColumn)) {
            throw Settings.invalid("timeseries.featureColumns", featureColumns,
                    "columns other than the timestamp column " + timestampColumn);
        }
    }

    /** Rows one window spans: input and horizon. */
    public int spanSteps() {
        return windowSteps + horizonSteps;
    }
}
