package io.sparklstm.jobs.spark;

import io.sparklstm.jobs.config.SparkSettings;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the Spark context of a command. The master comes from {@code --master}, else from spark-submit,
 * else from {@code spark.master} in the configuration. Properties this job cannot run without are set unless
 * the user set them: the system clock as dl4j-spark's time source (its NTP default fails offline), one ND4J
 * thread per task CPU, and Kryo with ND4J's registrator.
 */
public final class SparkSessions {

    public static final String TIME_SOURCE_PROPERTY = "org.deeplearning4j.spark.time.TimeSource";
    public static final String SYSTEM_CLOCK = "org.deeplearning4j.spark.time.SystemClockTimeSource";

    private SparkSessions() {
    }

    public static JavaSparkContext start(SparkSettings settings, String masterOverride) {
        System.setProperty(TIME_SOURCE_PROPERTY, System.getProperty(TIME_SOURCE_PROPERTY, SYSTEM_CLOCK));
        SparkConf conf = configure(new SparkConf(), settings, masterOverride);
        SparkSession session = SparkSession.builder().config(conf).getOrCreate();
        return JavaSparkContext.fromSparkContext(session.sparkContext());
    }

    static SparkConf configure(SparkConf conf, SparkSettings settings, String masterOverride) {
        settings.conf().forEach(conf::set);
        if (masterOverride != null && !masterOverride.isBlank()) {
            conf.setMaster(masterOverride);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster(settings.master());
        }
        conf.setIfMissing("spark.app.name", settings.appName());
        conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        conf.setIfMissing("spark.kryo.registrator", "io.sparklstm.jobs.spark.KryoRegistrator");
        String taskCpus = conf.get("spark.task.cpus", "1");
        conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", taskCpus);
        String executorOptions = conf.get("spark.executor.extraJavaOptions", "");
        if (!executorOptions.contains(TIME_SOURCE_PROPERTY)) {
            conf.set("spark.executor.extraJavaOptions",
                    (executorOptions + " -D" + TIME_SOURCE_PROPERTY + "=" + SYSTEM_CLOCK).trim());
        }
        return conf;
    }
}
