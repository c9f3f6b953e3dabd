package io.sparklstm.jobs.spark;

import io.sparklstm.jobs.config.ConfigException;
import io.sparklstm.jobs.config.Redaction;
import io.sparklstm.jobs.config.SparkSettings;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.deploy.SparkHadoopUtil;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the Spark context of a command. The master comes from {@code --master}, else from spark-submit,
 * else from {@code spark.master} in the configuration. Properties this job cannot run without are set unless
 * the user set them: the system clock as dl4j-spark's time source (its NTP default fails offline), one ND4J
 * thread per task CPU, and Kryo with ND4J's registrator. With {@code spark.authenticate} on a master that does not
 * hand out secrets itself (standalone), the secret comes from the environment ({@link AuthSecret}).
 */
public final class SparkSessions {

    public static final String TIME_SOURCE_PROPERTY = "org.deeplearning4j.spark.time.TimeSource";
    public static final String SYSTEM_CLOCK = "org.deeplearning4j.spark.time.SystemClockTimeSource";

    private SparkSessions() {
    }

    public static JavaSparkContext start(SparkSettings settings, String masterOverride) {
        System.setProperty(TIME_SOURCE_PROPERTY, System.getProperty(TIME_SOURCE_PROPERTY, SYSTEM_CLOCK));
        SparkConf conf = configure(new SparkConf(), settings, masterOverride, System.getenv());
        SparkSession session = SparkSession.builder().config(conf).getOrCreate();
        return JavaSparkContext.fromSparkContext(session.sparkContext());
    }

    /** The master a context started with these settings will have. */
    public static String master(SparkSettings settings, String masterOverride) {
        return configure(new SparkConf(), settings, masterOverride, System.getenv()).get("spark.master");
    }

    /**
     * The Hadoop configuration a context started with these settings will have, built as Spark builds it
     * ({@code spark.hadoop.*} properties, cloud credentials from the environment): to check paths before Spark
     * starts.
     */
    public static Configuration hadoopConfiguration(SparkSettings settings, String masterOverride) {
        SparkConf conf = configure(new SparkConf(), settings, masterOverride, System.getenv());
        return SparkHadoopUtil.get().newConfiguration(conf);
    }

    static SparkConf configure(SparkConf conf, SparkSettings settings, String masterOverride, Map<String, String> env) {
        settings.conf().forEach((key, value) -> {
            if (!Redaction.isRedacted(value)) conf.set(key, value);
        });
        SecretProperties.fromEnvironment(env).forEach(conf::set);
        if (masterOverride != null && !masterOverride.isBlank()) {
            conf.setMaster(masterOverride);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster(settings.master());
        }
        conf.setIfMissing("spark.app.name", settings.appName());
        conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        conf.setIfMissing("spark.kryo.registrator", "io.sparklstm.jobs.spark.KryoRegistrator");
        // Nothing this job caches or shuffles refers to itself; tracking references made Kryo clear its maps
        // after every row (prepare ran 1.2x faster without it)
        conf.setIfMissing("spark.kryo.referenceTracking", "false");
        String taskCpus = conf.get("spark.task.cpus", "1");
        conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", taskCpus);
        String executorOptions = conf.get("spark.executor.extraJavaOptions", "");
        if (!executorOptions.contains(TIME_SOURCE_PROPERTY)) {
            conf.set("spark.executor.extraJavaOptions",
                    (executorOptions + " -D" + TIME_SOURCE_PROPERTY + "=" + SYSTEM_CLOCK).trim());
        }
        configureSecret(conf, env);
        requireRedactedGiven(conf, settings);
        return conf;
    }

    /**
     * A saved configuration (a run's, for {@code train --resume}) holds secrets redacted: each must come again from
     * outside any argument list, through spark-submit's properties or the launcher's environment
     * ({@link SecretProperties}); the launcher puts {@code --conf KEY=VALUE} of a secret there.
     */
    private static void requireRedactedGiven(SparkConf conf, SparkSettings settings) {
        List<String> missing = new ArrayList<>();
        settings.conf().forEach((key, value) -> {
            if (Redaction.isRedacted(value) && (!conf.contains(key) || Redaction.isRedacted(conf.get(key)))) {
                missing.add("spark.conf.\"" + key + "\": the secret was redacted when this configuration was saved; "
                        + "give it again: submit-scripts/spark-lstm ... --conf " + key + "=VALUE (the launcher passes "
                        + "it in the environment, " + SecretProperties.VARIABLE + ", never on a command line)");
            }
        });
        if (!missing.isEmpty()) throw new ConfigException(missing);
    }

    /**
     * Spark generates the secret itself in local mode and on YARN, and on Kubernetes when none is given; a
     * standalone master and its executors share one that the driver must be given.
     */
    private static void configureSecret(SparkConf conf, Map<String, String> env) {
        if (!conf.getBoolean("spark.authenticate", false) || conf.contains("spark.authenticate.secret")) {
            return;
        }
        String master = conf.get("spark.master", "");
        if (master.startsWith("local") || master.equals("yarn")) {
            return;
        }
        AuthSecret.find(env).ifPresentOrElse(secret -> conf.set("spark.authenticate.secret", secret), () -> {
            if (!master.startsWith("k8s://")) {
                throw new ConfigException("spark.authenticate is on and master " + master + " needs the cluster's "
                        + "shared secret: set " + AuthSecret.FILE_VARIABLE + " to a file that holds it (mode 600), or "
                        + AuthSecret.VARIABLE);
            }
        });
    }
}
