package io.sparklstm.prep.timeseries;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;

/** Parses timestamps with a pattern into epoch seconds (UTC), accepting date-only patterns. */
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

    static String iso(long epochSeconds) {
        return LocalDateTime.ofEpochSecond(epochSeconds, 0, ZoneOffset.UTC).toString();
    }
}
