package io.sparklstm.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which Spark properties hold secrets, and the configuration with their values replaced, for everything that is
 * saved (a run's config.conf, a manifest's or a bundle's settings, a registry version's record): a property is
 * secret when its name matches Spark's default {@code spark.redaction.regex}, the configured one if any (beside
 * the default, not instead: a pattern set for one more key must not expose the usual ones), or names a cloud
 * storage credential that Spark's pattern misses (Azure account and SAS keys, GCS private keys, S3A/GCS
 * encryption keys). The replacement text is Spark's.
 */
public final class Redaction {

    /** What a secret's value becomes, as Spark writes it. */
    public static final String REDACTED = "*********(redacted)";
    /** Spark's default {@code spark.redaction.regex}. */
    static final Pattern SPARK_DEFAULT = Pattern.compile("(?i)secret|password|token|access[.]key");
    /**
     * Credentials of Hadoop's cloud filesystems whose names Spark's default misses: {@code fs.azure.account.key.*},
     * {@code fs.azure.sas.*}, {@code fs.gs.auth.service.account.private.key(.id)}, {@code fs.s3a.encryption.key},
     * {@code fs.s3a.server-side-encryption.key}, {@code fs.gs.encryption.key}. The launcher
     * (submit-scripts/spark-lstm) keeps the same two patterns.
     */
    static final Pattern STORAGE_KEYS = Pattern.compile("(?i)account[.]key|private[.]key|encryption[.]key|[.]sas[.]");
    private static final String SPARK_CONF = "spark.conf";
    private static final String REGEX_PROPERTY = "spark.redaction.regex";

    /** The configured {@code spark.redaction.regex}, if any. */
    private final Optional<Pattern> configured;

    private Redaction(Optional<Pattern> configured) {
        this.configured = configured;
    }

    /** The redaction a resolved configuration asks for: Spark's default pattern and its own, if any. */
    public static Redaction of(Config resolved) {
        Optional<String> regex = property(resolved, REGEX_PROPERTY);
        try {
            return new Redaction(regex.map(Pattern::compile));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("spark.conf.\"" + REGEX_PROPERTY + "\" = \"" + regex.orElse("")
                    + "\" is invalid: not a regular expression (" + e.getDescription() + ")");
        }
    }

    /** Whether the Spark property {@code name} holds a secret. */
    public boolean isSecret(String name) {
        return SPARK_DEFAULT.matcher(name).find() || STORAGE_KEYS.matcher(name).find()
                || configured.map(p -> p.matcher(name).find()).orElse(false);
    }

    /** {@code resolved} with the value of every secret Spark property replaced by {@link #REDACTED}. */
    public Config apply(Config resolved) {
        if (!resolved.hasPath(SPARK_CONF)) return resolved;
        Config out = resolved;
        for (Map.Entry<String, ConfigValue> e : resolved.getConfig(SPARK_CONF).entrySet()) {
            if (isSecret(e.getKey().replace("\"", ""))) {
                out = out.withValue(SPARK_CONF + "." + e.getKey(), ConfigValueFactory.fromAnyRef(REDACTED));
            }
        }
        return out;
    }

    /** Whether a value is what {@link #apply} left in place of a secret. */
    public static boolean isRedacted(String value) {
        return REDACTED.equals(value);
    }

    /** A Spark property however it is written: {@code "spark.x.y" = v} or nested, {@code spark.x.y = v}. */
    private static Optional<String> property(Config resolved, String name) {
        if (!resolved.hasPath(SPARK_CONF)) return Optional.empty();
        for (Map.Entry<String, ConfigValue> e : resolved.getConfig(SPARK_CONF).entrySet()) {
            if (e.getKey().replace("\"", "").equals(name)) return Optional.of(String.valueOf(e.getValue().unwrapped()));
        }
        return Optional.empty();
    }
}
