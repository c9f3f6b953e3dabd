package io.sparklstm.prep.config;

import java.util.Locale;

/** Checks shared by the settings records: a failed check names the configuration key and the value. */
final class Settings {
    private Settings() {
    }

    static InvalidSettingsException invalid(String key, Object value, String expected) {
        return new InvalidSettingsException(problem(key, value, expected));
    }

    /** The one line that says what is wrong with a setting: {@code key = value is invalid: expected ...}. */
    static String problem(String key, Object value, String expected) {
        return String.format(Locale.ROOT, "%s = %s is invalid: expected %s", key, shown(value), expected);
    }

    /** A value as a configuration file would have it: text in quotes. */
    static String shown(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }

    static int positive(String key, int value) {
        if (value < 1) throw invalid(key, value, "a positive integer");
        return value;
    }

    static String nonBlank(String key, String value) {
        if (value == null || value.isBlank()) throw invalid(key, value, "a non-empty string");
        return value;
    }
}
