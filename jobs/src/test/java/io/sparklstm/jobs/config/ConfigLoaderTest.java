package io.sparklstm.jobs.config;

import com.typesafe.config.Config;
import io.sparklstm.model.CellType;
import io.sparklstm.prep.config.InputConfig;
import io.sparklstm.prep.config.MissingConfig;
import io.sparklstm.prep.config.PrepareConfig;
import io.sparklstm.prep.config.SplitConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

    private static Path repoConf(String name) {
        String root = System.getProperty("sparklstm.repo.root", "..");
        return Path.of(root, "conf", name);
    }

    @Test
    void shippedDatasetConfigsAreValid() {
        for (String name : List.of("datasets/etth1.conf", "datasets/synthetic-control.conf",
                "datasets/beijing-pm25.conf")) {
            JobConfig config = JobConfig.from(ConfigLoader.load(repoConf(name).toFile(), List.of()));
            assertTrue(config.training().epochs() > 0, name);
        }
    }

    @Test
    void overridesWinOverTheFileAndTheDefaults() {
        Config c = ConfigLoader.load(repoConf("datasets/etth1.conf").toFile(),
                List.of("model.layers=[32,16]", "model.cell=peephole", "input.path=file:///data/x.csv",
                        "spark.conf.\"spark.ui.enabled\"=false"));
        JobConfig config = JobConfig.from(c);
        assertEquals(List.of(32, 16), config.model().layers());
        assertEquals(CellType.PEEPHOLE, config.model().cell());
        assertEquals("file:///data/x.csv", config.prepare().input().path());
        assertEquals("false", config.spark().conf().get("spark.ui.enabled"));
    }

    @Test
    void unknownKeysAreNamedWithASuggestion() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, List.of("training.epoch=3")));
        assertTrue(e.getMessage().contains("training.epoch: unknown key"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean training.epochs?"), e.getMessage());
    }

    @Test
    void illTypedValuesAreNamed() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, List.of("training.epochs=many")));
        assertTrue(e.getMessage().contains("training.epochs"), e.getMessage());
    }

    @Test
    void allProblemsAreReportedTogether(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, "model { dropout = 1.5, cell = gru }\nsplit.fractions = [0.9, 0.9, 0.1]\nfoo = 1\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> JobConfig.from(ConfigLoader.load(file.toFile(), List.of())));
        assertEquals(List.of("foo: unknown key"), e.problems(), "unknown keys are reported before values are read");

        Files.writeString(file, "model { dropout = 1.5, cell = gru }\nsplit.fractions = [0.9, 0.9, 0.1]\n");
        ConfigException values = assertThrows(ConfigException.class,
                () -> JobConfig.from(ConfigLoader.load(file.toFile(), List.of())));
        String all = String.join("\n", values.problems());
        assertTrue(all.contains("split.fractions"), all);
        assertTrue(all.contains("model.cell = \"gru\" is invalid"), all);
    }

    @Test
    void aMissingConfFileIsAConfigError() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(Path.of("no/such.conf").toFile(), List.of()));
        assertTrue(e.getMessage().contains("no/such.conf"), e.getMessage());
    }

    @Test
    void messyTableSettingsAreMappedWithPerColumnMissingPolicies() {
        JobConfig config = JobConfig.from(ConfigLoader.load(repoConf("datasets/beijing-pm25.conf").toFile(),
                List.of("input.format=parquet", "input.onBadRecord=quarantine", "input.sentinels=[-9999]",
                        "timeseries.entityColumn=station", "split.method=entity", "split.trainEnd=",
                        "split.validationEnd=", "split.testEnd=")));
        PrepareConfig p = config.prepare();
        assertEquals(InputConfig.Format.PARQUET, p.input().format());
        assertEquals(InputConfig.BadRecords.QUARANTINE, p.input().onBadRecord());
        assertEquals(List.of(-9999.0), p.input().sentinels());
        assertEquals(List.of("year", "month", "day", "hour"), p.timeseries().timestampColumns());
        assertEquals(List.of("cbwd"), p.timeseries().categoricalColumns());
        assertEquals("station", p.timeseries().entityColumn());
        assertEquals(SplitConfig.Method.ENTITY, p.split().method());
        assertEquals(MissingConfig.Policy.INTERPOLATE, p.timeseries().missing().of("pm2.5"));
        assertEquals(MissingConfig.Policy.FAIL, p.timeseries().missing().of("TEMP"));
    }

    @Test
    void aBadMissingPolicyOrEntitySplitWithoutEntitiesNamesTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> JobConfig.from(ConfigLoader.load(
                repoConf("datasets/beijing-pm25.conf").toFile(),
                List.of("timeseries.missing.columns.\"pm2.5\"=guess"))));
        assertTrue(e.getMessage().contains("timeseries.missing.columns.\"pm2.5\" = \"guess\" is invalid"),
                e.getMessage());
        ConfigException entity = assertThrows(ConfigException.class, () -> JobConfig.from(ConfigLoader.load(
                repoConf("datasets/beijing-pm25.conf").toFile(), List.of("split.method=entity", "split.trainEnd=",
                        "split.validationEnd=", "split.testEnd="))));
        assertTrue(entity.getMessage().contains("split.method = \"entity\" is invalid"), entity.getMessage());
    }
}
