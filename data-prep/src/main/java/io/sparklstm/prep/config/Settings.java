package io.sparklstm.prep.config;

import io.sparklstm.model.InvalidSetting;

/** Checks shared by the settings records: a failed check names the configuration key and the value. */
final class Settings {
    private Settings() {
    }

    static InvalidSettingsException invalid(String key, Object value, String expected) {
        return new InvalidSettingsException(problem(key, value, expected));
    }

    /** The one line that says what is wrong with a setting, the value as a configuration file would have it. */
    static String problem(String key, Object value, String expected) {
        return InvalidSetting.message(key, InvalidSetting.quoted(value), expected);
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
