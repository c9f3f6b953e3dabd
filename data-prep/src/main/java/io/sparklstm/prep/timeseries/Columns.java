package io.sparklstm.prep.timeseries;

import io.sparklstm.prep.config.MissingConfig;
import io.sparklstm.prep.config.TimeSeriesConfig;
import io.sparklstm.prep.config.TimeSeriesKeys;
import io.sparklstm.prep.io.InputDataException;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the configured columns are in a table's header (or Parquet schema), checked before any Spark stage:
 * a configured column that is not there names the key, the file and the columns it has.
 *
 * @param header            the column names, in file order
 * @param timeIndexes       the timestamp column, or the year, month, ... columns
 * @param entityIndex       the entity column; -1 for one series
 * @param features          numeric feature columns
 * @param featureIndexes    where they are
 * @param policies          missing-value policy of each numeric feature
 * @param categorical       categorical columns
 * @param categoricalIndexes where they are
 * @param targets           target columns (numeric features)
 * @param targetPositions   their positions among the numeric features
 */
record Columns(List<String> header, int[] timeIndexes, int entityIndex, List<String> features, int[] featureIndexes,
               MissingConfig.Policy[] policies, List<String> categorical, int[] categoricalIndexes,
               List<String> targets, int[] targetPositions) implements Serializable {

    int headerSize() {
        return header.size();
    }

    String timestampName() {
        List<String> names = new ArrayList<>();
        for (int i : timeIndexes) names.add(header.get(i));
        return String.join("+", names);
    }

    static Columns resolve(TimeSeriesConfig ts, List<String> header, String file) {
        int[] timeIndexes = new int[ts.timeColumns().size()];
        String timeKey = ts.timestampColumns().isEmpty() ? "timeseries.timestampColumn" : "timeseries.timestampColumns";
        for (int i = 0; i < timeIndexes.length; i++) {
            timeIndexes[i] = indexIn(header, ts.timeColumns().get(i), timeKey, file);
        }
        int entityIndex = ts.hasEntities() ? indexIn(header, ts.entityColumn(), "timeseries.entityColumn", file) : -1;
        int[] categoricalIndexes = new int[ts.categoricalColumns().size()];
        for (int i = 0; i < categoricalIndexes.length; i++) {
            categoricalIndexes[i] = indexIn(header, ts.categoricalColumns().get(i), "timeseries.categoricalColumns", file);
        }
        List<String> features = new ArrayList<>();
        if (ts.featureColumns().isEmpty()) {
            for (String c : header) {
                if (!ts.timeColumns().contains(c) && !c.equals(ts.entityColumn()) && !ts.categoricalColumns().contains(c)) {
                    features.add(c);
                }
            }
        } else {
            features.addAll(ts.featureColumns());
        }
        if (features.isEmpty()) {
            throw new InputDataException(file + ": no numeric feature column (timeseries.featureColumns); the header has "
                    + header);
        }
        int[] featureIndexes = new int[features.size()];
        MissingConfig.Policy[] policies = new MissingConfig.Policy[features.size()];
        for (int i = 0; i < features.size(); i++) {
            featureIndexes[i] = indexIn(header, features.get(i), "timeseries.featureColumns", file);
            policies[i] = ts.missing().of(features.get(i));
        }
        for (String column : ts.missing().columns().keySet()) {
            if (!features.contains(column)) {
                throw new IllegalArgumentException(TimeSeriesKeys.missingColumnKey(column) + " is invalid: expected "
                        + "a numeric feature column, one of " + features);
            }
        }
        List<String> targets = ts.targetColumns().isEmpty() ? List.copyOf(features) : ts.targetColumns();
        int[] targetPositions = new int[targets.size()];
        for (int j = 0; j < targets.size(); j++) {
            targetPositions[j] = features.indexOf(targets.get(j));
            if (targetPositions[j] < 0) {
                throw new InputDataException(file + ": target column " + targets.get(j)
                        + " (timeseries.targetColumns) is not among the numeric feature columns " + features);
            }
        }
        return new Columns(List.copyOf(header), timeIndexes, entityIndex, List.copyOf(features), featureIndexes,
                policies, ts.categoricalColumns(), categoricalIndexes, List.copyOf(targets), targetPositions);
    }

    private static int indexIn(List<String> header, String column, String key, String file) {
        int i = header.indexOf(column);
        if (i < 0) {
            throw new InputDataException(file + ": no column '" + column + "' (" + key + "); the columns are "
                    + header);
        }
        return i;
    }
}
