package io.sparklstm.model.settings;

/**
 * The one form of the message about a setting whose value cannot work, used by every configuration check of the
 * project: {@code key = value is invalid: expected ...}. It starts with the key, so that the configuration loader
 * files each problem under its key and reports all of them together, and it says what would work. It lives in the
 * lowest module, because the model spec checks its own settings; each caller throws what its layer throws.
 */
public final class InvalidSetting {

    private InvalidSetting() {
    }

    /** {@code key = value is invalid: expected ...}, with the value as given (see {@link #quoted} for text). */
    public static String message(String key, Object value, String expected) {
        return key + " = " + value + " is invalid: expected " + expected;
    }

    /** A value as a configuration file would have it: text in quotes, anything else as Java prints it. */
    public static String quoted(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }
}
