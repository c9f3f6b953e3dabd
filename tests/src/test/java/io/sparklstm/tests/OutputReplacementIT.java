package io.sparklstm.tests;

import io.sparklstm.jobs.cli.Main;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code --overwrite} may replace (only the tool's own output, never a directory that holds the input),
 * and that the output it replaces stays whole until the new one is complete.
 */
class OutputReplacementIT {

    @TempDir
    static Path shared;
    private static Path raw;
    private static Path data;

    /** 600 ETTh1 hours in a directory of their own, prepared once: windows of 12 hours, 4 ahead. */
    @BeforeAll
    static void prepareOnce() throws IOException {
        raw = Repo.etth1Head(Files.createDirectories(shared.resolve("raw")), 600);
        data = shared.resolve("data");
        assertEquals(0, Main.execute(Repo.args("prepare", etth1("--set", "input.path=" + raw,
                "--output", data.toString()))));
    }

    private static String[] etth1(String... rest) {
        List<String> args = new ArrayList<>(List.of("--conf", Repo.conf("datasets/etth1.conf").toString(),
                "--set", "split.trainEnd=", "--set", "split.validationEnd=", "--set", "split.testEnd=",
                "--set", "timeseries.windowSteps=12", "--set", "timeseries.horizonSteps=4",
                "--set", "model.layers=[8]", "--set", "training.epochs=1"));
        args.addAll(Arrays.asList(rest));
        return args.toArray(String[]::new);
    }

    private static int execute(StringWriter err, String command, String... args) {
        return Main.execute(new PrintWriter(err, true), Repo.args(command, args));
    }

    /** Names in {@code dir} that a replacement leaves beside its target while it works. */
    private static List<String> leftBeside(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.contains(".partial-") || n.contains(".replaced-")).toList();
        }
    }

    @Test
    void overwriteRefusesADirectoryTheToolDidNotWriteAndKeepsItsFiles(@TempDir Path dir) throws IOException {
        Path foreign = Files.createDirectories(dir.resolve("results"));
        Files.writeString(foreign.resolve("notes.txt"), "kept by hand");
        StringWriter err = new StringWriter();
        int code = execute(err, "prepare", etth1("--set", "input.path=" + raw, "--output", foreign.toString(),
                "--overwrite"));
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains(foreign.toString()) && err.toString().contains("not written by spark-lstm"),
                err.toString());
        assertEquals("kept by hand", Files.readString(foreign.resolve("notes.txt")));
        assertEquals(List.of("notes.txt"), Files.list(foreign).map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void prepareAndPipelineRefuseToReplaceTheDirectoryHoldingTheirInput() throws IOException {
        byte[] input = Files.readAllBytes(raw);
        for (String command : List.of("prepare", "pipeline")) {
            StringWriter err = new StringWriter();
            int code = execute(err, command, etth1("--set", "input.path=" + raw, "--output", raw.getParent().toString(),
                    "--overwrite"));
            assertEquals(2, code, command + ": " + err);
            assertTrue(err.toString().contains("input.path"), err.toString());
            assertArrayEquals(input, Files.readAllBytes(raw), "the raw input is intact");
        }
    }

    @Test
    void trainRefusesToWriteItsRunOverItsOwnDatasetAndLeavesTheDatasetIntact() throws IOException {
        byte[] manifest = Files.readAllBytes(data.resolve("manifest.json"));
        StringWriter err = new StringWriter();
        int code = execute(err, "train", etth1("--data", data.toString(), "--output", data.toString(), "--overwrite"));
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("--data"), err.toString());
        assertArrayEquals(manifest, Files.readAllBytes(data.resolve("manifest.json")));
        assertTrue(Files.size(data.resolve("train/batch-000000.bin")) > 0);
    }

    @Test
    void trainOverwriteKeepsTheOldRunUntilTheNewOneIsComplete(@TempDir Path dir) throws IOException {
        Path run = dir.resolve("run");
        StringWriter err = new StringWriter();
        assertEquals(0, execute(err, "train", etth1("--data", data.toString(), "--output", run.toString())),
                err.toString());
        byte[] summary = Files.readAllBytes(run.resolve("summary.json"));

        // the replacement diverges in its first epoch, long after it started writing
        int code = execute(err, "train", etth1("--set", "model.updater=sgd", "--set", "model.learningRate=1e20",
                "--set", "model.clipping=none", "--data", data.toString(), "--output", run.toString(), "--overwrite"));
        assertEquals(4, code, err.toString());
        assertArrayEquals(summary, Files.readAllBytes(run.resolve("summary.json")), "the old run is untouched");
        assertTrue(Files.exists(run.resolve("model/bundle.json")), "the old model is in place");

        // a replacement that completes takes the old run's place, and nothing is left beside it
        assertEquals(0, execute(err, "train", etth1("--set", "training.epochs=2", "--data", data.toString(),
                "--output", run.toString(), "--overwrite")), err.toString());
        assertEquals(2, Repo.json(run.resolve("summary.json")).at("/training/epochs").asInt());
        assertEquals(List.of(), leftBeside(dir));
    }
}
