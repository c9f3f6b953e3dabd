package io.sparklstm.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a saved configuration keeps of secret Spark properties: nothing but the redaction text. */
class RedactionTest {

    /** One secret of each kind, as a user would set them with --set (the launcher's --conf becomes that). */
    private static final Map<String, String> SECRETS = Map.of(
            "spark.authenticate.secret", "cluster-secret-1",
            "spark.hadoop.fs.s3a.secret.key", "s3a-secret-2",
            "spark.hadoop.fs.s3a.access.key", "s3a-access-3",
            "spark.hadoop.fs.s3a.session.token", "s3a-token-4",
            "spark.hadoop.fs.s3a.server-side-encryption.key", "s3a-sse-5",
            "spark.hadoop.fs.azure.account.key.acct.dfs.core.windows.net", "azure-key-6",
            "spark.hadoop.fs.azure.sas.container.acct.blob.core.windows.net", "azure-sas-7",
            "spark.hadoop.fs.gs.auth.service.account.private.key", "gcs-key-8",
            "spark.ssl.keyStorePassword", "keystore-password-9");

    private static JobConfig config(List<String> more) {
        List<String> sets = new java.util.ArrayList<>();
        SECRETS.forEach((key, value) -> sets.add("spark.conf.\"" + key + "\"=" + value));
        sets.add("spark.conf.\"spark.executor.memory\"=3g");
        sets.addAll(more);
        return JobConfig.from(ConfigLoader.load(null, sets));
    }

    @Test
    void theSavedConfigurationHoldsNoSecretValueAndEveryOtherProperty() {
        JobConfig config = config(List.of());
        String saved = config.render();
        for (String secret : SECRETS.values()) {
            assertFalse(saved.contains(secret), secret + " in\n" + saved);
        }
        Config back = ConfigLoader.load("config.conf", saved, List.of());
        for (String key : SECRETS.keySet()) {
            assertEquals(Redaction.REDACTED, back.getString("spark.conf.\"" + key + "\""), key);
        }
        assertEquals("3g", back.getString("spark.conf.\"spark.executor.memory\""));
        // the secrets themselves stay in memory, for the SparkConf
        assertEquals("s3a-secret-2", config.spark().conf().get("spark.hadoop.fs.s3a.secret.key"));
    }

    @Test
    void sectionsKeptInManifestsAndBundlesAreRedactedToo() {
        String spark = config(List.of()).sections("spark").toString();
        SECRETS.values().forEach(secret -> assertFalse(spark.contains(secret), secret + " in " + spark));
        assertTrue(spark.contains("3g"), spark);
    }

    @Test
    void aNestedSparkPropertyIsRedactedLikeAQuotedOne() {
        JobConfig config = JobConfig.from(ConfigLoader.load("test",
                "spark.conf { spark.hadoop.fs.s3a.secret.key = nested-secret }", List.of()));
        assertFalse(config.render().contains("nested-secret"), config.render());
    }

    @Test
    void theConfiguredRedactionRegexIsFollowedBesideSparksDefaultAndTheStorageKeys() {
        JobConfig config = config(List.of("spark.conf.\"spark.redaction.regex\"=\"(?i)mine\"",
                "spark.conf.\"spark.hadoop.my.mine.value\"=private-10"));
        String saved = config.render();
        assertFalse(saved.contains("private-10"), saved);
        assertFalse(saved.contains("azure-key-6"), "cloud storage keys are redacted whatever the regex");
        assertFalse(saved.contains("cluster-secret-1"), "Spark's default pattern stays in force beside it");
    }

    @Test
    void aRedactionRegexThatDoesNotCompileIsAConfigurationError() {
        ConfigException e = assertThrows(ConfigException.class, () -> JobConfig.from(ConfigLoader.load(null,
                List.of("spark.conf.\"spark.redaction.regex\"=\"(unclosed\""))));
        assertTrue(e.getMessage().contains("spark.redaction.regex"), e.getMessage());
    }

    @Test
    void ordinaryPropertiesAreNotSecrets() {
        Redaction r = Redaction.of(ConfigFactory.empty());
        for (String key : List.of("spark.executor.memory", "spark.hadoop.fs.s3a.endpoint", "spark.authenticate",
                "spark.network.crypto.enabled", "spark.hadoop.fs.azure.account.auth.type")) {
            assertFalse(r.isSecret(key), key);
        }
    }
}
