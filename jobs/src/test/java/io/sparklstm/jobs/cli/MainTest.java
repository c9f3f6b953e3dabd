package io.sparklstm.jobs.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Command-line failures that happen before Spark starts. */
class MainTest {

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.execute(new PrintWriter(err, true), args);
    }

    @Test
    void anUnknownKeyExitsWithTwoAndNamesIt(@TempDir Path dir) {
        int code = run("prepare", "--set", "input.path=x.csv", "--set", "model.layerz=[3]", "--output",
                dir.resolve("o").toString());
        assertEquals(2, code);
        assertTrue(err.toString().contains("model.layerz: unknown key"), err.toString());
    }

    @Test
    void anIllTypedKeyExitsWithTwoAndNamesIt(@TempDir Path dir) {
        int code = run("train", "--set", "training.averagingFrequency=often", "--data", "d", "--output",
                dir.resolve("o").toString());
        assertEquals(2, code);
        assertTrue(err.toString().contains("training.averagingFrequency"), err.toString());
    }

    @Test
    void prepareWithoutInputPathIsAConfigError(@TempDir Path dir) {
        assertEquals(2, run("prepare", "--output", dir.resolve("o").toString()));
        assertTrue(err.toString().contains("input.path: required"), err.toString());
    }

    @Test
    void aMissingRequiredOptionIsAUsageError() {
        assertEquals(2, run("train", "--output", "x"));
        assertTrue(err.toString().contains("--data"), err.toString());
    }

    @Test
    void sampleWithAMissingModelIsAnInputErrorAndANegativeLengthAUsageError(@TempDir Path dir) {
        assertEquals(3, run("sample", "--model", dir.resolve("none").toString()));
        assertTrue(err.toString().contains("not a model bundle"), err.toString());
        assertEquals(2, run("sample", "--model", dir.toString(), "--length", "-1"));
        assertTrue(err.toString().contains("--length -1 is invalid"), err.toString());
    }

    @Test
    void benchNamesTheBadOptionBeforeSparkStarts(@TempDir Path dir) {
        String out = dir.resolve("b").toString();
        assertEquals(2, run("bench", "--workers", "1,x", "--output", out));
        assertTrue(err.toString().contains("--workers") && err.toString().contains("'x'"), err.toString());
        assertEquals(2, run("bench", "--workers", "0", "--output", out));
        assertEquals(2, run("bench", "--repeat", "0", "--output", out));
        assertTrue(err.toString().contains("--repeat must be 1 or more"), err.toString());
        assertEquals(2, run("bench", "--warm-up", "-1", "--output", out));
        assertTrue(err.toString().contains("--warm-up must be 0 or more"), err.toString());
    }

    @Test
    void anOutputThatCannotBeWrittenExitsWithTwoBeforeSparkStarts(@TempDir Path dir) throws java.io.IOException {
        Path file = java.nio.file.Files.writeString(dir.resolve("a-file"), "not a directory");
        String under = file.resolve("out").toString();
        assertEquals(2, run("prepare", "--set", "input.path=x.csv", "--output", under));
        assertEquals(2, run("train", "--data", dir.toString(), "--output", under));
        assertEquals(2, run("pipeline", "--set", "input.path=x.csv", "--output", under));
        assertEquals(2, run("predict", "--model", dir.toString(), "--input", "x.csv", "--output", under));
        assertEquals(2, run("retrain", "--set", "input.path=x.csv", "--set", "retrain.name=m",
                "--set", "retrain.registry=" + dir.resolve("registry"), "--round", "r1", "--output", under));
        assertEquals(2, run("evaluate", "--model", dir.resolve("m").toString(), "--data", dir.resolve("d").toString(),
                "--output", file.resolve("metrics.json").toString()));
        assertEquals(6, err.toString().split(java.util.regex.Pattern.quote(file + " is a file"), -1).length - 1,
                err.toString());
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[]{"prepare", "train", "evaluate", "pipeline", "doctor", "sample", "generate",
                "bench", "retrain"}) {
            assertEquals(0, run(command, "--help"), command);
        }
    }
}
