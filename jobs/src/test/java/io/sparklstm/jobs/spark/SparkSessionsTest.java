package io.sparklstm.jobs.spark;

import io.sparklstm.jobs.config.ConfigException;
import io.sparklstm.jobs.config.SparkSettings;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SparkSessionsTest {

    private static final SparkSettings AUTHENTICATED = new SparkSettings("local[*]", "test",
            Map.of("spark.authenticate", "true"));

    private static SparkConf configure(String master, Map<String, String> env) {
        return SparkSessions.configure(new SparkConf(false), AUTHENTICATED, master, env);
    }

    @Test
    void aStandaloneMasterGetsTheSecretFromTheFileNamedInTheEnvironment(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("secret");
        Files.writeString(file, "s3cr3t\n");
        SparkConf conf = configure("spark://127.0.0.1:7077", Map.of("SPARK_LSTM_SECRET_FILE", file.toString(),
                "SPARK_LSTM_SECRET", "not-this-one"));
        assertEquals("s3cr3t", conf.get("spark.authenticate.secret"));
    }

    @Test
    void aStandaloneMasterWithoutASecretIsAConfigurationErrorThatNamesTheVariables() {
        ConfigException e = assertThrows(ConfigException.class, () -> configure("spark://127.0.0.1:7077", Map.of()));
        assertTrue(e.getMessage().contains("SPARK_LSTM_SECRET_FILE"), e.getMessage());
    }

    @Test
    void localModeAndYarnGenerateTheirOwnSecret() {
        assertFalse(configure("local[2]", Map.of("SPARK_LSTM_SECRET", "x")).contains("spark.authenticate.secret"));
        assertFalse(configure("yarn", Map.of("SPARK_LSTM_SECRET", "x")).contains("spark.authenticate.secret"));
        assertEquals("x", configure("spark://h:7077", Map.of("SPARK_LSTM_SECRET", "x")).get("spark.authenticate.secret"));
    }
}
