package io.sparklstm.prep.config;

import io.sparklstm.model.settings.InvalidSetting;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a missing value (an {@code input.naTokens} text, an {@code input.sentinels} number, a Parquet null)
 * does to a time-series table, per numeric column.
 *
 * @param defaultPolicy the policy of every column not named in {@code columns}
 * @param columns       per-column overrides, by column name
 */
public record MissingConfig(Policy defaultPolicy, Map<String, Policy> columns) implements Serializable {

    /** How the missing values of one column are handled. */
    public enum Policy {
        /** Any missing value is an input-data error naming file, line and column. */
        FAIL,
        /** Windows whose inputs or forecast targets touch a missing value are not emitted (and counted). */
        DROP_WINDOWS,
        /** The last present value of the same series; missing values before the first one drop windows. */
        FFILL,
        /** Linear in row order between the nearest present values of the same series; edges drop windows. */
        INTERPOLATE
    }

    /** Missing values fail the job. */
    public static MissingConfig failing() {
        return new MissingConfig(Policy.FAIL, Map.of());
    }

    public MissingConfig {
        if (defaultPolicy == null) {
            throw Settings.invalid(TimeSeriesKeys.MISSING_DEFAULT, null, "fail, drop_windows, ffill or interpolate");
        }
        if (columns == null) columns = Map.of();
        for (Map.Entry<String, Policy> e : columns.entrySet()) {
            if (e.getValue() == null) {
                throw new InvalidSettingsException(InvalidSetting.message(TimeSeriesKeys.missingColumnKey(e.getKey()),
                        "null", "fail, drop_windows, ffill or interpolate"));
            }
        }
        columns = Collections.unmodifiableMap(new TreeMap<>(columns));
    }

    public Policy of(String column) {
        return columns.getOrDefault(column, defaultPolicy);
    }
}
