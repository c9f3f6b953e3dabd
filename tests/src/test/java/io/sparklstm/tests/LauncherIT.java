package io.sparklstm.tests;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher users run: every command's --help works through it, with the built job jar. */
class LauncherIT {

    @Test
    void everyCommandHasHelpThroughTheLauncher() throws IOException, InterruptedException {
        for (String command : new String[]{"prepare", "train", "evaluate", "pipeline", "sample"}) {
            ProcessBuilder pb = new ProcessBuilder(Repo.root().resolve("submit-scripts/spark-lstm").toString(),
                    command, "--help").redirectErrorStream(true);
            pb.environment().remove("SPARK_HOME");
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), command);
            assertEquals(0, p.exitValue(), output);
            assertTrue(output.contains("Usage: spark-lstm " + command), output);
            assertTrue(output.contains(command.equals("sample") ? "--prime" : "--conf"), output);
        }
    }

    @Test
    void anUnknownKeyExitsWithTwoThroughTheLauncher() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Repo.root().resolve("submit-scripts/spark-lstm").toString(), "train",
                "--set", "model.units=3", "--data", "d", "--output", "o").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), output);
        assertTrue(output.contains("model.units: unknown key"), output);
    }
}
