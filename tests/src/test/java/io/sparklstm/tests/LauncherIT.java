package io.sparklstm.tests;

import io.sparklstm.jobs.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher users run: every command's --help works through it, with the built job jar. The commands are those of
 * the job's picocli {@link Main}, the one list of them.
 */
class LauncherIT {

    /** Standard output and error of a launcher run that must succeed. */
    private static String helpThroughTheLauncher(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Repo.root().resolve("submit-scripts/spark-lstm").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("SPARK_HOME");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", args));
        assertEquals(0, p.exitValue(), output);
        return output;
    }

    @Test
    void everyCommandHasHelpThroughTheLauncher() throws IOException, InterruptedException {
        for (String command : Main.commandNames()) {
            String output = helpThroughTheLauncher(command, "--help");
            assertTrue(output.contains("Usage: spark-lstm " + command), output);
            CommandLine.Model.CommandSpec spec = new CommandLine(new Main()).getSubcommands().get(command)
                    .getCommandSpec();
            for (CommandLine.Model.OptionSpec option : spec.options()) {
                if (!option.hidden()) assertTrue(output.contains(option.longestName()), command + ": " + output);
            }
        }
    }

    /** The launcher's help: its own options, then every command. */
    @Test
    void theLaunchersHelpListsItsOptionsAndEveryCommand() throws IOException, InterruptedException {
        String output = helpThroughTheLauncher("--help");
        for (String option : List.of("--master URL", "--deploy-mode MODE", "--conf KEY=VALUE", "--env FILE")) {
            assertTrue(output.contains(option), output);
        }
        String commands = output.substring(output.indexOf("Commands:"));
        for (String command : Main.commandNames()) {
            assertTrue(commands.contains("\n  " + command + " "), command + ": " + output);
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

    /** Exit code and standard error of a launcher run; standard output is discarded. */
    private record Run(int exitCode, String stderr) {
    }

    private static Run launch(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Repo.root().resolve("submit-scripts/spark-lstm").toString()));
        command.addAll(List.of(args));
        Path err = dir.resolve("stderr-" + System.nanoTime() + ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile());
        pb.environment().remove("SPARK_HOME");
        Process p = pb.start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), String.join(" ", command));
        return new Run(p.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
    }

    /**
     * A malformed row fails a Spark task; the console shows the one line that names the file and line, without
     * Spark's task-failure logs and their stack traces, unless --verbose asks for them.
     */
    @Test
    void aBadRowInATaskPrintsOneCleanLineAndSparksTracesOnlyWithVerbose(@TempDir Path dir)
            throws IOException, InterruptedException {
        List<String> lines = Files.readAllLines(Repo.data("synthetic_control/synthetic_control.data"));
        lines.set(41, lines.get(41) + " oops");
        Path raw = Files.write(dir.resolve("control.data"), lines);
        String[] prepare = {"prepare", "--conf", Repo.conf("datasets/synthetic-control.conf").toString(),
                "--set", "input.path=" + raw, "--output", dir.resolve("out").toString()};

        Run quiet = launch(dir, prepare);
        assertEquals(3, quiet.exitCode(), quiet.stderr());
        List<String> mentions = quiet.stderr().lines().filter(l -> l.contains("oops")).toList();
        assertEquals(1, mentions.size(), quiet.stderr());
        assertTrue(mentions.get(0).startsWith("spark-lstm prepare: ") && mentions.get(0).contains("control.data:42: ")
                && mentions.get(0).contains("'oops' is not a finite number"), quiet.stderr());
        assertFalse(quiet.stderr().contains("ERROR"), quiet.stderr());
        assertFalse(quiet.stderr().contains("\tat "), quiet.stderr());
        assertFalse(quiet.stderr().contains("InputDataException"), quiet.stderr());

        String[] verbose = java.util.Arrays.copyOf(prepare, prepare.length + 1);
        verbose[prepare.length] = "--verbose";
        Run loud = launch(dir, verbose);
        assertEquals(3, loud.exitCode(), loud.stderr());
        assertTrue(loud.stderr().contains("ERROR Executor: Exception in task"), loud.stderr());
        assertTrue(loud.stderr().contains("\tat io.sparklstm.prep."), loud.stderr());
    }
}
