package io.sparklstm.jobs.spark;

import io.sparklstm.jobs.config.ConfigException;
import io.sparklstm.jobs.config.Redaction;
import io.sparklstm.jobs.config.SparkSettings;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
        Path file = privateFile(dir.resolve("secret"), "s3cr3t\n");
        SparkConf conf = configure("spark://127.0.0.1:7077", Map.of("SPARK_LSTM_SECRET_FILE", file.toString(),
                "SPARK_LSTM_SECRET", "not-this-one"));
        assertEquals("s3cr3t", conf.get("spark.authenticate.secret"));
    }

    private static Path privateFile(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    @Test
    void aSecretFileOtherUsersCanReadIsRefusedWithTheFixInTheMessage(@TempDir Path dir) throws IOException {
        for (String mode : new String[]{"rw-r--r--", "rw-r-----", "rw-----w-"}) {
            Path file = privateFile(dir.resolve("secret-" + mode), "s3cr3t\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            ConfigException e = assertThrows(ConfigException.class, () -> configure("spark://127.0.0.1:7077",
                    Map.of("SPARK_LSTM_SECRET_FILE", file.toString())), mode);
            assertTrue(e.getMessage().contains("chmod 600 " + file) && e.getMessage().contains(mode), e.getMessage());
            assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
        }
    }

    /** A run's saved configuration: the secret was redacted when it was written. */
    private static final SparkSettings RESUMED = new SparkSettings("local[2]", "test",
            Map.of("spark.hadoop.fs.s3a.secret.key", Redaction.REDACTED, "spark.executor.memory", "1g"));

    @Test
    void aRedactedSecretGivenNowhereElseIsAConfigurationErrorNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> SparkSessions.configure(new SparkConf(false), RESUMED, null, Map.of()));
        assertTrue(e.getMessage().contains("spark.conf.\"spark.hadoop.fs.s3a.secret.key\"")
                && e.getMessage().contains("redacted") && e.getMessage().contains("--conf"), e.getMessage());
    }

    @Test
    void aRedactedSecretIsTakenFromTheLaunchersEnvironmentOrFromSparkSubmitsProperties() {
        SparkConf fromEnv = SparkSessions.configure(new SparkConf(false), RESUMED, null,
                Map.of("SPARK_LSTM_SECRET_PROPERTIES", "spark.hadoop.fs.s3a.secret.key=given=again\n"));
        assertEquals("given=again", fromEnv.get("spark.hadoop.fs.s3a.secret.key"));
        assertEquals("1g", fromEnv.get("spark.executor.memory"));

        SparkConf fromSubmit = SparkSessions.configure(
                new SparkConf(false).set("spark.hadoop.fs.s3a.secret.key", "from-properties-file"), RESUMED, null,
                Map.of());
        assertEquals("from-properties-file", fromSubmit.get("spark.hadoop.fs.s3a.secret.key"));
    }

    @Test
    void secretPropertiesFromTheEnvironmentWinOverTheConfiguration() {
        SparkSettings configured = new SparkSettings("local[2]", "test", Map.of("spark.ssl.keyPassword", "old"));
        SparkConf conf = SparkSessions.configure(new SparkConf(false), configured, null,
                Map.of("SPARK_LSTM_SECRET_PROPERTIES", "spark.ssl.keyPassword=new\nspark.ssl.trustStorePassword=t"));
        assertEquals("new", conf.get("spark.ssl.keyPassword"));
        assertEquals("t", conf.get("spark.ssl.trustStorePassword"));

        ConfigException e = assertThrows(ConfigException.class, () -> SparkSessions.configure(new SparkConf(false),
                configured, null, Map.of("SPARK_LSTM_SECRET_PROPERTIES", "not a property: hunter2")));
        assertTrue(e.getMessage().contains("SPARK_LSTM_SECRET_PROPERTIES, line 1"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), "the line is not shown: " + e.getMessage());
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
