package io.sparklstm.prep.config;

import java.io.Serializable;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The step of a time-series table's time axis ({@code timeseries.frequency}): found in the data
 * ({@link Mode#AUTO}), given as a duration ({@link Mode#FIXED}, e.g. {@code 10min}, {@code 1h}, {@code 1d}), or
 * none ({@link Mode#NONE}: consecutive rows of a series are consecutive steps, whatever their timestamps).
 *
 * @param mode    how the step is known
 * @param seconds the step in seconds ({@link Mode#FIXED} only; 0 otherwise)
 */
public record Frequency(Mode mode, long seconds) implements Serializable {

    /** How the step of the time axis is known. */
    public enum Mode { AUTO, NONE, FIXED }

    public static final Frequency AUTO = new Frequency(Mode.AUTO, 0);
    public static final Frequency NONE = new Frequency(Mode.NONE, 0);

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*([a-z]+)");
    static final String EXPECTED = "auto, none, or a duration such as 30s, 10min, 1h, 1d or 1w";

    public Frequency {
        if (mode == null) throw Settings.invalid(TimeSeriesKeys.FREQUENCY, null, EXPECTED);
        if ((mode == Mode.FIXED) != (seconds > 0)) {
            throw new IllegalArgumentException("a fixed frequency needs a positive step, and only it: " + seconds);
        }
    }

    public static Frequency ofSeconds(long seconds) {
        return new Frequency(Mode.FIXED, seconds);
    }

    /** Whether {@link #parse} reads {@code text}. */
    static boolean parses(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Reads {@code timeseries.frequency}: {@code auto}, {@code none}, or a whole number and a unit. */
    public static Frequency parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("auto")) return AUTO;
        if (t.equals("none")) return NONE;
        Matcher m = DURATION.matcher(t);
        if (!m.matches()) throw Settings.invalid(TimeSeriesKeys.FREQUENCY, text, EXPECTED);
        long unit = switch (m.group(2)) {
            case "s", "sec", "second", "seconds" -> 1;
            case "min", "minute", "minutes" -> 60;
            case "h", "hour", "hours" -> 3600;
            case "d", "day", "days" -> 86_400;
            case "w", "week", "weeks" -> 604_800;
            default -> throw Settings.invalid(TimeSeriesKeys.FREQUENCY, text, EXPECTED
                    + " (units: s, min, h, d, w; months and years have no fixed length: use none)");
        };
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw Settings.invalid(TimeSeriesKeys.FREQUENCY, text, EXPECTED);
        }
        if (n < 1 || n > Long.MAX_VALUE / unit) throw Settings.invalid(TimeSeriesKeys.FREQUENCY, text, EXPECTED);
        return ofSeconds(n * unit);
    }

    public boolean fixed() {
        return mode == Mode.FIXED;
    }

    /**
     * The setting's text: {@code auto}, {@code none}, or the step in the largest unit that divides it
     * ({@code 10min}, {@code 1h}, {@code 90s}); {@link #parse} reads it back to the same value.
     */
    @Override
    public String toString() {
        if (mode != Mode.FIXED) return mode.name().toLowerCase(Locale.ROOT);
        return durationText(seconds);
    }

    /** A number of seconds in the largest unit of {@code timeseries.frequency} that divides it. */
    public static String durationText(long seconds) {
        if (seconds % 604_800 == 0) return seconds / 604_800 + "w";
        if (seconds % 86_400 == 0) return seconds / 86_400 + "d";
        if (seconds % 3600 == 0) return seconds / 3600 + "h";
        if (seconds % 60 == 0) return seconds / 60 + "min";
        return seconds + "s";
    }
}
