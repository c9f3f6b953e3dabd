package io.sparklstm.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException.ValidationFailed;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.sparklstm.model.settings.InvalidSetting;
import io.sparklstm.model.settings.Setting;
import io.sparklstm.model.settings.ValueType;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Loads the configuration: defaults, then the {@code --conf} file, then {@code --set} overrides, and checks
 * the result before anything runs. Keys must be known (present in the defaults), values must have the
 * defaults' types; all violations are reported together.
 */
public final class ConfigLoader {

    /**
     * Free-form sections: anything under them is passed through (Spark properties; per-column missing-value
     * policies, keyed by column names, which JobConfig checks).
     */
    private static final List<String> OPEN_SECTIONS = Catalogue.settings().stream()
            .filter(s -> s.type() == ValueType.SECTION).map(Setting::key).toList();
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.\\-\"]+");
    /** Values read as HOCON: numbers, booleans, lists, objects and quoted text; anything else is plain text. */
    private static final Pattern HOCON_VALUE =
            Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?|true|false|\\[.*]|\\{.*}|\".*\"", Pattern.DOTALL);

    private ConfigLoader() {
    }

    public static Config defaults() {
        return ConfigFactory.parseResources(ConfigLoader.class, "defaults.conf",
                ConfigParseOptions.defaults().setAllowMissing(false));
    }

    /**
     * @param file      the {@code --conf} file, or null
     * @param overrides {@code key=value} pairs from {@code --set}, applied in order
     */
    public static Config load(File file, List<String> overrides) {
        return loadAll(file == null ? List.of() : List.of(file), overrides);
    }

    /**
     * @param files     {@code --conf} files, each over the ones before it (e.g. an environment, then a dataset)
     * @param overrides {@code key=value} pairs from {@code --set}, applied in order over all files
     */
    public static Config loadAll(List<File> files, List<String> overrides) {
        return loadOver(Map.of(), files, overrides);
    }

    /**
     * As {@link #loadAll(List, List)}, over a stored configuration (e.g. the preparation settings kept in a model
     * bundle) instead of nothing: the files and overrides win over {@code base}, which wins over the defaults.
     */
    public static Config loadOver(Map<String, ?> base, List<File> files, List<String> overrides) {
        Config user = ConfigValueFactory.fromMap(base).toConfig();
        for (File file : files) {
            user = parseFile(file).withFallback(user);
        }
        return load(user, overrides);
    }

    private static Config parseFile(File file) {
        if (!file.isFile()) {
            throw new ConfigException("--conf " + file + ": no such file");
        }
        try {
            return ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException("--conf " + file + ": " + e.getMessage());
        }
    }

    /** As {@link #load(File, List)}, from HOCON text read elsewhere (e.g. a run's config.conf on HDFS). */
    public static Config load(String origin, String hocon, List<String> overrides) {
        try {
            return load(ConfigFactory.parseString(hocon, ConfigParseOptions.defaults().setOriginDescription(origin)),
                    overrides);
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException(origin + ": " + e.getMessage());
        }
    }

    private static Config load(Config base, List<String> overrides) {
        Config user = base;
        for (String override : overrides) {
            user = parseOverride(override).withFallback(user);
        }
        Config defaults = defaults();
        Config merged;
        try {
            merged = user.withFallback(defaults).resolve();
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException(e.getMessage());
        }
        Map<String, String> problems = new TreeMap<>();
        unknownKeys(user, defaults, problems);
        valueTypes(user, merged, defaults, problems);
        otherInvalidValues(merged, defaults, problems);
        if (problems.isEmpty()) {
            return merged;
        }
        // the records' own checks (ranges, cross-field) run too, over the rest of the values, so that one run
        // names every problem
        JobConfig.problems(merged, problems.keySet()).forEach(problems::putIfAbsent);
        throw new ConfigException(new ArrayList<>(problems.values()));
    }

    /**
     * {@code key=value}; numbers, booleans, lists, objects and quoted text ({@code "a b"}, {@code ";"},
     * {@code "\t"}) are HOCON, anything else is the plain string as written.
     */
    static Config parseOverride(String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException("--set " + override + ": expected key=value");
        }
        String key = override.substring(0, eq).trim();
        String value = override.substring(eq + 1).trim();
        if (!KEY.matcher(key).matches()) {
            throw new ConfigException("--set " + override + ": '" + key + "' is not a configuration key");
        }
        if (HOCON_VALUE.matcher(value).matches()) {
            try {
                return ConfigFactory.parseString(key + " = " + value);
            } catch (com.typesafe.config.ConfigException e) {
                throw new ConfigException("--set " + override + ": " + e.getMessage());
            }
        }
        return ConfigFactory.empty().withValue(key, ConfigValueFactory.fromAnyRef(value));
    }

    private static void unknownKeys(Config user, Config defaults, Map<String, String> problems) {
        for (Map.Entry<String, ConfigValue> entry : user.entrySet()) {
            String key = entry.getKey();
            if (OPEN_SECTIONS.stream().anyMatch(open -> key.startsWith(open + "."))) {
                continue;
            }
            if (!defaults.hasPathOrNull(key)) {
                problems.putIfAbsent(key, key + ": unknown key" + suggestion(key, defaults));
            } else if (defaults.getValue(key).valueType() == ConfigValueType.OBJECT
                    && entry.getValue().valueType() != ConfigValueType.OBJECT) {
                problems.putIfAbsent(key, key + ": is a section, not a value");
            }
        }
    }

    /**
     * Each value set must have its default's type, checked now rather than when read: "many" for a number, and a
     * fractional number for an integer, which HOCON would truncate when read as one.
     */
    private static void valueTypes(Config user, Config merged, Config defaults, Map<String, String> problems) {
        for (Map.Entry<String, ConfigValue> entry : user.entrySet()) {
            String key = entry.getKey();
            if (problems.containsKey(key) || !defaults.hasPath(key)) continue;
            ValueKind expected = ValueKind.of(key, defaults.getValue(key));
            ConfigValue value = merged.getValue(key);
            if (!expected.accepts(value)) {
                problems.put(key, InvalidSetting.message(key, shown(value), expected.description));
            }
        }
    }

    /** What HOCON's own check finds that the type check does not look at, such as a key set to null. */
    private static void otherInvalidValues(Config merged, Config defaults, Map<String, String> problems) {
        try {
            merged.checkValid(defaults);
        } catch (ValidationFailed e) {
            for (ValidationFailed.ValidationProblem p : e.problems()) {
                problems.putIfAbsent(p.path(), p.path() + ": " + p.problem());
            }
        }
    }

    /** A value as it would be written in a configuration file, lists with their elements' types. */
    static String shown(ConfigValue value) {
        return switch (value.valueType()) {
            case STRING -> "\"" + value.unwrapped() + "\"";
            case LIST -> ((ConfigList) value).stream().map(ConfigLoader::shown)
                    .collect(Collectors.joining(", ", "[", "]"));
            case OBJECT -> value.render(ConfigRenderOptions.concise());
            default -> String.valueOf(value.unwrapped());
        };
    }

    /**
     * The types a configuration value can be expected to have, as the defaults show them. Whether a number must be
     * whole they cannot show (HOCON reads {@code 0.0} as the integer 0): what reads a key as an integer checks that,
     * see {@link WholeNumbers}.
     */
    private enum ValueKind {
        NUMBER("a number"), BOOLEAN("true or false"), TEXT("a string"), NUMBERS("a list of numbers"),
        TEXTS("a list of strings"), SECTION("a section");

        /** The texts HOCON reads as booleans. */
        private static final List<String> BOOLEAN_TEXT = List.of("true", "false", "yes", "no", "on", "off");

        final String description;

        ValueKind(String description) {
            this.description = description;
        }

        static ValueKind of(String key, ConfigValue byDefault) {
            return switch (byDefault.valueType()) {
                case NUMBER -> NUMBER;
                case BOOLEAN -> BOOLEAN;
                case STRING, NULL -> TEXT;
                case OBJECT -> SECTION;
                case LIST -> {
                    ConfigList list = (ConfigList) byDefault;
                    // an empty default cannot show whether it holds numbers: the declared type does
                    boolean numbers = list.isEmpty()
                            ? Catalogue.setting(key).map(s -> s.type().numberList()).orElse(false)
                            : list.get(0).valueType() == ConfigValueType.NUMBER;
                    yield numbers ? NUMBERS : TEXTS;
                }
            };
        }

        boolean accepts(ConfigValue value) {
            ConfigValueType type = value.valueType();
            return switch (this) {
                case NUMBER -> type == ConfigValueType.NUMBER || (type == ConfigValueType.STRING
                        && WholeNumbers.parses(String.valueOf(value.unwrapped())));
                case BOOLEAN -> type == ConfigValueType.BOOLEAN || (type == ConfigValueType.STRING
                        && BOOLEAN_TEXT.contains(String.valueOf(value.unwrapped())));
                case TEXT -> type == ConfigValueType.STRING || type == ConfigValueType.NUMBER
                        || type == ConfigValueType.BOOLEAN;
                case SECTION -> type == ConfigValueType.OBJECT;
                case NUMBERS -> type == ConfigValueType.LIST && ((ConfigList) value).stream().allMatch(NUMBER::accepts);
                case TEXTS -> type == ConfigValueType.LIST && ((ConfigList) value).stream().allMatch(TEXT::accepts);
            };
        }
    }

    /** The known key closest to an unknown one, when it is close enough to be a typo. */
    private static String suggestion(String key, Config defaults) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Map.Entry<String, ConfigValue> known : defaults.entrySet()) {
            int d = distance(key.toLowerCase(), known.getKey().toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = known.getKey();
            }
        }
        return best != null && bestDistance <= 3 ? " (did you mean " + best + "?)" : "";
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) previous[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

}
