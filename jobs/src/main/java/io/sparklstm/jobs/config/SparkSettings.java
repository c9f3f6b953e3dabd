package io.sparklstm.jobs.config;

import java.util.Map;
import java.util.TreeMap;

/**
 * Spark set-up of a job.
 *
 * @param master  master URL used when neither {@code --master} nor spark-submit gives one
 * @param appName application name
 * @param conf    Spark properties passed through
 */
public record SparkSettings(String master, String appName, Map<String, String> conf) {
    public SparkSettings {
        conf = new TreeMap<>(conf);
    }
}
