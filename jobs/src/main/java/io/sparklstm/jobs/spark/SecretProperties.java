package io.sparklstm.jobs.spark;

import io.sparklstm.jobs.config.ConfigException;

import java.util.Map;
import java.util.TreeMap;

/**
 * Secret Spark properties handed to the job in its environment, {@code SPARK_LSTM_SECRET_PROPERTIES}, one
 * {@code spark.key=value} a line: the launcher puts there each {@code --conf KEY=VALUE} whose key names a secret,
 * so that the value is in no process's argument list (which {@code ps} shows to every user) and in no saved
 * configuration (they are set on the SparkConf only). They win over the configuration's values, as the launcher's
 * other {@code --conf} properties do.
 */
final class SecretProperties {

    static final String VARIABLE = "SPARK_LSTM_SECRET_PROPERTIES";

    private SecretProperties() {
    }

    static Map<String, String> fromEnvironment(Map<String, String> env) {
        Map<String, String> out = new TreeMap<>();
        String text = env.get(VARIABLE);
        if (text == null) return out;
        int number = 0;
        for (String line : text.split("\n", -1)) {
            number++;
            if (line.isBlank()) continue;
            int eq = line.indexOf('=');
            String key = eq < 0 ? "" : line.substring(0, eq).strip();
            if (!key.matches("spark\\.[A-Za-z0-9._-]+")) {
                // the line itself is not shown: it may hold the secret
                throw new ConfigException(VARIABLE + ", line " + number
                        + ": expected spark.KEY=VALUE (a Spark property name, '=', its value)");
            }
            out.put(key, line.substring(eq + 1));
        }
        return out;
    }
}
