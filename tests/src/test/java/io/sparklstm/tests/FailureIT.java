package io.sparklstm.tests;

import io.sparklstm.jobs.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad data found while Spark runs: the exit code and message say what and where, and nothing half-done stays. */
class FailureIT {

    @Test
    void aTruncatedMinibatchFileFailsTrainingWithExitThreeNamingIt(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("data");
        assertEquals(0, Main.execute(Repo.args("prepare",
                "--conf", Repo.conf("datasets/synthetic-control.conf").toString(),
                "--set", "input.path=" + Repo.data("synthetic_control/synthetic_control.data"),
                "--output", data.toString())));
        Path victim = data.resolve("train/batch-000003.bin");
        try (RandomAccessFile f = new RandomAccessFile(victim.toFile(), "rw")) {
            f.setLength(f.length() / 3);
        }
        StringWriter err = new StringWriter();
        Path run = dir.resolve("run");
        int code = Main.execute(new PrintWriter(err, true), Repo.args("train",
                "--conf", Repo.conf("datasets/synthetic-control.conf").toString(),
                "--set", "training.epochs=1", "--data", data.toString(), "--output", run.toString()));
        assertEquals(3, code, err.toString());
        assertTrue(err.toString().contains("batch-000003.bin"), err.toString());
        assertFalse(Files.exists(run.resolve("model")), "no model may be written as if complete");
        assertFalse(Files.exists(run.resolve("summary.json")));
    }

    @Test
    void aMalformedRawRowFailsPrepareWithExitThreeNamingFileAndLine(@TempDir Path dir) throws IOException {
        Path raw = dir.resolve("control.data");
        java.util.List<String> lines = Files.readAllLines(Repo.data("synthetic_control/synthetic_control.data"));
        lines.set(41, lines.get(41) + " oops");
        Files.write(raw, lines);
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(err, true), Repo.args("prepare",
                "--conf", Repo.conf("datasets/synthetic-control.conf").toString(),
                "--set", "input.path=" + raw, "--output", dir.resolve("out").toString()));
        assertEquals(3, code, err.toString());
        assertTrue(err.toString().contains("control.data:42:"), err.toString());
        assertTrue(err.toString().contains("'oops' is not a finite number"), err.toString());
        assertFalse(Files.exists(dir.resolve("out/manifest.json")));
    }
}
