package io.sparklstm.prep.timeseries;

import io.sparklstm.prep.Rejection;
import io.sparklstm.prep.config.InputConfig;
import io.sparklstm.prep.config.MissingConfig;
import io.sparklstm.prep.io.InputDataException;

import java.io.Serializable;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a raw record into a {@link SeriesRow}: timestamp, entity, numeric values (NaN where missing) and
 * categorical values. A malformed record (wrong field count, unparsable number or timestamp, empty entity)
 * is a {@link Rejection}; a missing value in a column whose policy is FAIL is an input error.
 */
final class RowParser implements Serializable {

    private final Columns columns;
    private final String pattern;
    private final Set<String> naTokens;
    private final double[] sentinels;
    private final boolean splitTime;
    private final boolean keepText;
    private transient Timestamps timestamps;

    /**
     * @param pattern   timestamp pattern of a single timestamp column
     * @param splitTime whether the timestamp is split across year, month, ... columns instead
     */
    RowParser(Columns columns, String pattern, boolean splitTime, InputConfig input) {
        this(columns, pattern, splitTime, input, false);
    }

    /** @param keepText whether rows keep their text (to quarantine duplicate timestamps with it) */
    RowParser(Columns columns, String pattern, boolean splitTime, InputConfig input, boolean keepText) {
        this.columns = columns;
        this.keepText = keepText;
        this.splitTime = splitTime;
        this.pattern = pattern;
        this.naTokens = new HashSet<>(input.naTokens());
        this.sentinels = input.sentinels().stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** A parsed row, or why the record was rejected. */
    record Parsed(SeriesRow row, Rejection rejection) implements Serializable {
        boolean ok() {
            return row != null;
        }
    }

    Parsed parse(RawRecord r) {
        List<String> fields = r.fields();
        if (fields.size() != columns.headerSize()) {
            return reject(r, "expected " + columns.headerSize() + " fields, found " + fields.size());
        }
        long time;
        try {
            time = columns.timeIndexes().length == 0 ? SeriesRow.ordinal(r.fileIndex(), r.line()) : parseTime(fields);
        } catch (DateTimeException e) {
            return reject(r, "column " + columns.timestampName() + ": cannot parse timestamp '" + timeText(fields)
                    + "'");
        }
        String entity = "";
        if (columns.entityIndex() >= 0) {
            String e = fields.get(columns.entityIndex());
            if (isMissing(e)) {
                return reject(r, "column " + columns.header().get(columns.entityIndex()) + ": no entity");
            }
            entity = e.trim();
        }
        int[] featureIndexes = columns.featureIndexes();
        double[] values = new double[featureIndexes.length];
        for (int i = 0; i < featureIndexes.length; i++) {
            String field = fields.get(featureIndexes[i]);
            double v = isMissing(field) ? Double.NaN : number(field);
            if (Double.isInfinite(v)) {
                return reject(r, "column " + columns.features().get(i) + ": '" + field + "' is not a finite number");
            }
            if (isSentinel(v)) v = Double.NaN;
            if (Double.isNaN(v) && columns.policies()[i] == MissingConfig.Policy.FAIL) {
                throw InputDataException.atLine(r.file(), r.line(), "column " + columns.features().get(i)
                        + ": missing value '" + field + "' (timeseries.missing.default or timeseries.missing.columns "
                        + "sets what a missing value does)", r.text());
            }
            values[i] = v;
        }
        int[] categoricalIndexes = columns.categoricalIndexes();
        String[] categories = new String[categoricalIndexes.length];
        for (int i = 0; i < categoricalIndexes.length; i++) {
            String field = fields.get(categoricalIndexes[i]);
            categories[i] = isMissing(field) ? null : field.trim();
        }
        return new Parsed(new SeriesRow(entity, time, values, categories, r.fileIndex(), r.line(),
                keepText ? r.text() : ""), null);
    }

    private long parseTime(List<String> fields) {
        int[] idx = columns.timeIndexes();
        if (!splitTime) {
            if (timestamps == null) timestamps = new Timestamps(pattern);
            String stamp = fields.get(idx[0]);
            if (stamp == null) throw new DateTimeException("null");
            return timestamps.parse(stamp);
        }
        List<String> parts = new ArrayList<>(idx.length);
        for (int i : idx) parts.add(fields.get(i));
        return Timestamps.ofComponents(parts);
    }

    private String timeText(List<String> fields) {
        List<String> parts = new ArrayList<>();
        for (int i : columns.timeIndexes()) parts.add(String.valueOf(fields.get(i)));
        return String.join(" ", parts);
    }

    private boolean isMissing(String field) {
        return field == null || naTokens.contains(field.trim());
    }

    private boolean isSentinel(double v) {
        for (double s : sentinels) {
            if (v == s) return true;
        }
        return false;
    }

    /**
     * The field as a number; infinity when it is not a finite number (so "NaN" is refused here, and is
     * missing only when it is one of the NA tokens).
     */
    private static double number(String field) {
        try {
            double v = io.sparklstm.prep.io.Decimals.parse(field.trim());
            return Double.isNaN(v) ? Double.POSITIVE_INFINITY : v;
        } catch (NumberFormatException e) {
            return Double.POSITIVE_INFINITY;
        }
    }

    private static Parsed reject(RawRecord r, String reason) {
        return new Parsed(null, new Rejection(r.file(), r.line(), reason, r.text()));
    }
}
