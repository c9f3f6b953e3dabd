package io.sparklstm.jobs.registry;

import io.sparklstm.jobs.config.ConfigException;
import io.sparklstm.jobs.config.ConfigLoader;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetrainConfigTest {

    private static RetrainConfig config(String... settings) {
        List<String> all = new ArrayList<>(List.of("retrain.registry=hdfs:///models", "retrain.name=m"));
        all.addAll(List.of(settings));
        return RetrainConfig.from(ConfigLoader.load(null, all));
    }

    @Test
    void theLockStaleAgeIsMinutesFractionsAllowedAndAtLeastASecond() {
        assertEquals(Duration.ofHours(6), config().lockStale());
        assertEquals(Duration.ofSeconds(6), config("retrain.lockStaleMinutes=0.1").lockStale());
        ConfigException e = assertThrows(ConfigException.class, () -> config("retrain.lockStaleMinutes=0"));
        assertTrue(e.problems().get(0).startsWith("retrain.lockStaleMinutes = 0.0 is invalid"), e.problems().toString());
        assertFalse(config().allowNonAtomicFilesystem());
    }

    @Test
    void aRegistryOnS3aIsRefusedUnlessTheRiskIsAccepted() {
        Configuration conf = new Configuration();
        ModelRegistry.checkFilesystem("hdfs://namenode/models", conf, false);
        ModelRegistry.checkFilesystem("/var/models", conf, false);
        ConfigException e = assertThrows(ConfigException.class,
                () -> ModelRegistry.checkFilesystem("s3a://bucket/models", conf, false));
        assertTrue(e.getMessage().contains("retrain.allowNonAtomicFilesystem"), e.getMessage());
        ModelRegistry.checkFilesystem("s3a://bucket/models", conf, true);
    }
}
