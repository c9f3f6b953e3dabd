package io.sparklstm.prep.timeseries;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.List;

/**
 * Parses timestamps with a pattern into epoch seconds (UTC), accepting date-only patterns, or from components
 * split across columns.
 */
final class Timestamps {

    private final DateTimeFormatter formatter;

    Timestamps(String pattern) {
        this.formatter = DateTimeFormatter.ofPattern(pattern);
    }

    long parse(String text) {
        TemporalAccessor parsed = formatter.parse(text.trim());
        try {
            return LocalDateTime.from(parsed).toEpochSecond(ZoneOffset.UTC);
        } catch (java.time.DateTimeException e) {
            return LocalDate.from(parsed).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
        }
    }

    /** Parses a configured boundary, naming the key when it does not match the pattern. */
    long parseSetting(String key, String text, String pattern) {
        try {
            return parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(key + " = \"" + text + "\" is invalid: expected a timestamp in "
                    + "the format timeseries.timestampFormat = \"" + pattern + "\"");
        }
    }

    /**
     * Epoch seconds (UTC) of a timestamp split across fields: year, month, day, hour, minute, second, in that
     * order; components not given are the start of their range (month and day 1, hour 0, ...).
     *
     * @throws java.time.DateTimeException when a component is not an integer or out of range
     */
    static long ofComponents(List<String> fields) {
        int[] c = {0, 1, 1, 0, 0, 0};
        for (int i = 0; i < fields.size(); i++) {
            String text = fields.get(i) == null ? "" : fields.get(i).trim();
            double v;
            try {
                v = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                v = Double.NaN;
            }
            if (!(v == Math.rint(v)) || Math.abs(v) > 1e9) {
                throw new java.time.DateTimeException("'" + text + "' is not an integer");
            }
            c[i] = (int) v;
        }
        return LocalDateTime.of(c[0], c[1], c[2], c[3], c[4], c[5]).toEpochSecond(ZoneOffset.UTC);
    }

    static String iso(long epochSeconds) {
        return LocalDateTime.ofEpochSecond(epochSeconds, 0, ZoneOffset.UTC).toString();
    }
}
