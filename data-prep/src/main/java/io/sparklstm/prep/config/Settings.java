package io.sparklstm.prep.config;

import java.util.Locale;

/** Checks shared by the settings records: a failed check names the configuration key and the value. */
final class Settings {
    private Settings() {
    }

    static IllegalArgumentException invalid(String key, Object value, String expected) {
        return new IllegalArgumentException(String.format(Locale.ROOT, "%s = %s is invalid: expected %s",
                key, value instanceof String s ? "\"" + s + "\"" : value, expected));
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
