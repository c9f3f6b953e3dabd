package io.sparklstm.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException.ValidationFailed;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

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
    private static final List<String> OPEN_SECTIONS = List.of("spark.conf", "timeseries.missing.columns");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.\\-\"]+");
    private static final Pattern PLAIN_VALUE = Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE]-?[0-9]+)?|true|false|\\[.*]");

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
        List<String> problems = new ArrayList<>(unknownKeys(user, defaults));
        Config merged;
        try {
            merged = user.withFallback(defaults).resolve();
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException(e.getMessage());
        }
        try {
            merged.checkValid(defaults);
        } catch (ValidationFailed e) {
            for (ValidationFailed.ValidationProblem p : e.problems()) {
                problems.add(p.path() + ": " + p.problem());
            }
        }
        if (problems.isEmpty()) {
            problems.addAll(valueTypes(user, merged, defaults));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return merged;
    }

    /** {@code key=value}; numbers, booleans and lists are HOCON, anything else is a plain string. */
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
        if (PLAIN_VALUE.matcher(value).matches()) {
            try {
                return ConfigFactory.parseString(key + " = " + value);
            } catch (com.typesafe.config.ConfigException e) {
                throw new ConfigException("--set " + override + ": " + e.getMessage());
            }
        }
        return ConfigFactory.empty().withValue(key, ConfigValueFactory.fromAnyRef(value));
    }

    private static List<String> unknownKeys(Config user, Config defaults) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> entry : user.entrySet()) {
            String key = entry.getKey();
            if (OPEN_SECTIONS.stream().anyMatch(open -> key.startsWith(open + "."))) {
                continue;
            }
            if (!defaults.hasPathOrNull(key)) {
                problems.add(key + ": unknown key" + suggestion(key, defaults));
            } else if (defaults.getValue(key).valueType() == ConfigValueType.OBJECT
                    && entry.getValue().valueType() != ConfigValueType.OBJECT) {
                problems.add(key + ": is a section, not a value");
            }
        }
        problems.sort(null);
        return problems;
    }

    /** Values that HOCON would only convert when read, checked now: "many" for a number, say. */
    private static List<String> valueTypes(Config user, Config merged, Config defaults) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> entry : user.entrySet()) {
            String key = entry.getKey();
            if (!defaults.hasPath(key)) continue;
            ConfigValueType expected = defaults.getValue(key).valueType();
            try {
                switch (expected) {
                    case NUMBER -> merged.getNumber(key);
                    case BOOLEAN -> merged.getBoolean(key);
                    case LIST -> merged.getList(key);
                    default -> { }
                }
            } catch (com.typesafe.config.ConfigException e) {
                problems.add(key + ": expected a " + expected.name().toLowerCase() + ", got "
                        + entry.getValue().render());
            }
        }
        problems.sort(null);
        return problems;
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
