package io.sparklstm.tests;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparklstm.jobs.cli.Main;
import io.sparklstm.model.data.DatasetManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Variable-length sequences end to end: the shipped JapaneseVowels .ts files (7 to 29 steps per case) through
 * the shipped config and the command line, prepared with padding and masks, trained and scored.
 */
class VariableLengthPipelineIT {

    @Test
    void japaneseVowelsFromTsFilesTrainsAndScoresTheArchivesTestSplit(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("jv");
        int code = Main.execute(Repo.args("pipeline",
                "--conf", Repo.conf("datasets/japanese-vowels.conf").toString(),
                "--set", "input.path=" + Repo.data("uea/JapaneseVowels_TRAIN.ts"),
                "--set", "ts.testPath=" + Repo.data("uea/JapaneseVowels_TEST.ts"),
                "--set", "training.epochs=3",
                "--output", out.toString()));
        assertEquals(0, code);

        JsonNode manifest = Repo.json(out.resolve("data").resolve(DatasetManifest.FILE_NAME));
        assertEquals("ts", manifest.get("kind").asText());
        assertEquals(29, manifest.get("windowSteps").asInt());
        assertEquals(12, manifest.get("featureNames").size());
        assertEquals(9, manifest.get("classNames").size());
        assertEquals(270, manifest.at("/splits/train/examples").asInt() + manifest.at("/splits/validation/examples").asInt());
        assertEquals(370, manifest.at("/splits/test/examples").asInt());

        JsonNode summary = Repo.json(out.resolve("run/summary.json"));
        JsonNode test = summary.get("test");
        assertEquals(370, test.get("examples").asInt(), test.toString());
        assertTrue(test.get("accuracy").isNumber(), test.toString());
        // Three epochs reach about 0.93 here; guessing among 9 speakers gives 0.11.
        assertTrue(test.get("accuracy").asDouble() > 0.7, test.toString());
        assertTrue(test.get("f1").asDouble() > 0.6, test.toString());
    }
}
