package io.sparklstm.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import io.sparklstm.model.settings.InvalidSetting;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads integer settings, refusing a fractional value: HOCON's own getters truncate {@code 32.5} to 32
 * without a word. A refusal is an {@link IllegalArgumentException} naming the key and the value.
 */
public final class WholeNumbers {

    private WholeNumbers() {
    }

    public static int integer(Config c, String key) {
        long value = longInteger(c, key);
        if (value != (int) value) {
            throw invalid(key, c.getValue(key), "an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE);
        }
        return (int) value;
    }

    public static long longInteger(Config c, String key) {
        Number n = c.getNumber(key);
        if (!whole(n)) {
            throw invalid(key, c.getValue(key), "an integer");
        }
        return n.longValue();
    }

    public static List<Integer> integers(Config c, String key) {
        ConfigList values = c.getList(key);
        List<Integer> out = new ArrayList<>();
        for (Number n : c.getNumberList(key)) {
            if (!whole(n) || n.longValue() != n.intValue()) {
                throw invalid(key, values, "a list of integers");
            }
            out.add(n.intValue());
        }
        return out;
    }

    /** Whether HOCON reads the text as a number. */
    static boolean parses(String text) {
        try {
            Double.parseDouble(text.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean whole(Number n) {
        if (n instanceof Integer || n instanceof Long) return true;
        double d = n.doubleValue();
        return d == Math.rint(d) && Math.abs(d) < 0x1p63;
    }

    private static IllegalArgumentException invalid(String key, ConfigValue value, String expected) {
        return new IllegalArgumentException(InvalidSetting.message(key, ConfigLoader.shown(value), expected));
    }
}
