package io.sparklstm.prep.timeseries;

import io.sparklstm.model.settings.InvalidSetting;

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
 *
 * <p>A pattern made of fixed-width numbers ({@code yyyy MM dd HH mm ss}, in that order, trailing ones optional)
 * and literal separators, such as {@code yyyy-MM-dd HH:mm:ss}, is read by {@link FixedWidth} at fixed positions;
 * {@code DateTimeFormatter} took most of a row's parsing time. Text it is not sure of (another length, a day
 * past the month's end, an hour of 24) goes to the formatter, so results and errors are the formatter's.
 */
final class Timestamps {

    private final DateTimeFormatter formatter;
    private final java.util.Optional<FixedWidth> fixed;

    Timestamps(String pattern) {
        this.formatter = DateTimeFormatter.ofPattern(pattern);
        this.fixed = FixedWidth.of(pattern);
    }

    long parse(String text) {
        String trimmed = text.trim();
        if (fixed.isPresent()) {
            long seconds = fixed.get().epochSeconds(trimmed);
            if (seconds != FixedWidth.UNSURE) return seconds;
        }
        return formatterParse(trimmed);
    }

    /** The formatter's reading alone (the fast path's reference in tests). */
    long formatterParse(String trimmed) {
        TemporalAccessor parsed = formatter.parse(trimmed);
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
            throw new IllegalArgumentException(InvalidSetting.message(key, InvalidSetting.quoted(text),
                    "a timestamp in the format timeseries.timestampFormat = " + InvalidSetting.quoted(pattern)));
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
                v = io.sparklstm.prep.io.Decimals.parse(text);
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

    /**
     * A pattern of fixed-width numeric fields year, month, day, hour, minute, second (a prefix of that order,
     * year to day at least) between literal characters.
     */
    static final class FixedWidth {
        static final long UNSURE = Long.MIN_VALUE;
        private static final String FIELDS = "yMdHms";
        private static final int[] WIDTHS = {4, 2, 2, 2, 2, 2};
        private static final char LITERAL = 0xFFFF;

        /** Per character of the text: the index of the field a digit belongs to, or -1 for a literal. */
        private final int[] fieldAt;
        /** Per character: the literal expected there. */
        private final String literals;

        private FixedWidth(int[] fieldAt, String literals) {
            this.fieldAt = fieldAt;
            this.literals = literals;
        }

        /** The fixed-width reading of {@code pattern}; empty when it has anything else. */
        static java.util.Optional<FixedWidth> of(String pattern) {
            StringBuilder literals = new StringBuilder();
            java.util.List<Integer> at = new java.util.ArrayList<>();
            int next = 0;
            int i = 0;
            while (i < pattern.length()) {
                char c = pattern.charAt(i);
                if (Character.isLetter(c)) {
                    int run = 1;
                    while (i + run < pattern.length() && pattern.charAt(i + run) == c) run++;
                    if (next >= FIELDS.length() || FIELDS.charAt(next) != c || run != WIDTHS[next]) return java.util.Optional.empty();
                    for (int k = 0; k < run; k++) {
                        at.add(next);
                        literals.append(LITERAL);
                    }
                    next++;
                    i += run;
                } else if (c == '\'') {
                    int close = pattern.indexOf('\'', i + 1);
                    if (close < 0 || close == i + 1) return java.util.Optional.empty();
                    for (int k = i + 1; k < close; k++) {
                        char l = pattern.charAt(k);
                        if (l >= '0' && l <= '9') return java.util.Optional.empty();
                        at.add(-1);
                        literals.append(l);
                    }
                    i = close + 1;
                } else {
                    if ((c >= '0' && c <= '9') || "[]{}#".indexOf(c) >= 0) return java.util.Optional.empty();
                    at.add(-1);
                    literals.append(c);
                    i++;
                }
            }
            if (next < 3) return java.util.Optional.empty();
            return java.util.Optional.of(new FixedWidth(at.stream().mapToInt(Integer::intValue).toArray(),
                    literals.toString()));
        }

        /** Epoch seconds (UTC) of {@code text}, or {@link #UNSURE} when the formatter should decide. */
        long epochSeconds(String text) {
            if (text.length() != fieldAt.length) return UNSURE;
            // year, month, day, hour, minute, second; those the pattern lacks are 0 (it has year to day at least)
            int[] v = new int[6];
            for (int i = 0; i < fieldAt.length; i++) {
                char c = text.charAt(i);
                int f = fieldAt[i];
                if (f < 0) {
                    if (c != literals.charAt(i)) return UNSURE;
                } else {
                    if (c < '0' || c > '9') return UNSURE;
                    v[f] = v[f] * 10 + (c - '0');
                }
            }
            int year = v[0];
            int month = v[1];
            int day = v[2];
            if (year < 1 || month < 1 || month > 12 || day < 1
                    || day > java.time.YearMonth.of(year, month).lengthOfMonth()
                    || v[3] > 23 || v[4] > 59 || v[5] > 59) {
                return UNSURE;
            }
            return java.time.LocalDate.of(year, month, day).toEpochDay() * 86400L + v[3] * 3600L + v[4] * 60L + v[5];
        }
    }
}
