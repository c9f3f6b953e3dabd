package io.sparklstm.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import io.sparklstm.model.settings.InvalidSetting;
import io.sparklstm.model.settings.Setting;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a {@link Setting} from a configuration as its declared type: a value of another type fails naming the key
 * (an integer key refuses a fractional number, see {@link WholeNumbers}; an enum key names the values it accepts).
 * Whether the value can work is the record's check, with the setting's validator.
 */
public final class ConfigValues {

    private ConfigValues() {
    }

    @SuppressWarnings("unchecked")
    public static <T> T read(Config c, Setting<T> setting) {
        String key = setting.key();
        Object value = switch (setting.type()) {
            case BOOLEAN -> c.getBoolean(key);
            case INT -> WholeNumbers.integer(c, key);
            case LONG -> WholeNumbers.longInteger(c, key);
            case DOUBLE -> c.getDouble(key);
            case STRING -> c.getString(key);
            case ENUM -> choice(c, setting);
            case INTS -> WholeNumbers.integers(c, key);
            case DOUBLES -> c.getDoubleList(key);
            case STRINGS -> c.getStringList(key);
            case SECTION -> section(c.getConfig(key));
        };
        return (T) value;
    }

    /** The constant of an enum setting whose lower-case name is written (in any case, blanks around ignored). */
    private static Object choice(Config c, Setting<?> setting) {
        String value = c.getString(setting.key());
        Class<? extends Enum<?>> type = setting.enumType().orElseThrow();
        for (Enum<?> constant : type.getEnumConstants()) {
            if (constant.name().equals(value.trim().toUpperCase(Locale.ROOT))) return constant;
        }
        throw new IllegalArgumentException(InvalidSetting.message(setting.key(), InvalidSetting.quoted(value),
                "one of " + setting.choices()));
    }

    /** A free-form section's keys (unquoted) and values as text. */
    private static Map<String, String> section(Config section) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : section.entrySet()) {
            out.put(e.getKey().replace("\"", ""), String.valueOf(e.getValue().unwrapped()));
        }
        return out;
    }
}
