package io.sparklstm.jobs.config;

import com.typesafe.config.Config;
import io.sparklstm.model.CellType;
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
        for (String name : List.of("datasets/etth1.conf", "datasets/synthetic-control.conf")) {
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
}
