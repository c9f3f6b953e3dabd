package io.sparklstm.jobs.cli;

import io.sparklstm.jobs.BuildInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.List;
import java.util.Properties;

/** The {@code spark-lstm} command line; {@code spark-submit} runs this class. */
@Command(name = "spark-lstm", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Distributed LSTM training on Apache Spark with Deeplearning4j.",
        subcommands = {PrepareCommand.class, TrainCommand.class, EvaluateCommand.class, PipelineCommand.class,
                CrossValidateCommand.class, GenerateCommand.class, BenchCommand.class, RetrainCommand.class, DoctorCommand.class,
                SampleCommand.class, PredictCommand.class, ScalingCommand.class, MlExampleCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeOnInvalidInput = ExitCodes.USAGE)
public final class Main implements Runnable {

    public static void main(String[] args) {
        int code = execute(args);
        if (code == 0 && returnsToApplicationMaster(System.getProperties())) {
            return;
        }
        System.exit(code);
    }

    /**
     * Whether this JVM is the driver of a YARN cluster-mode application, whose main must return on success:
     * there Spark's ApplicationMaster runs this class and reports the application SUCCEEDED only when main returns.
     * System.exit, even with 0, runs the AM's shutdown hook first, which reports FAILED ("Shutdown hook called
     * before final status was reported"), and YARN then runs the whole job again if attempts are left. The AM sets
     * the application's Spark properties as system properties before it starts main.
     */
    static boolean returnsToApplicationMaster(Properties system) {
        return "yarn".equals(system.getProperty("spark.master"))
                && "cluster".equals(system.getProperty("spark.submit.deployMode"));
    }

    /**
     * The commands, in the order {@code --help} lists them, picocli's {@code help} left out. The {@code subcommands}
     * above are the one list of commands: the launcher's help prints it through this class, and its tests read it
     * here.
     */
    public static List<String> commandNames() {
        return new CommandLine(new Main()).getSubcommands().keySet().stream()
                .filter(name -> !name.equals("help")).toList();
    }

    /** Runs a command line and returns its exit code. */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.err, true), args);
    }

    /** Runs a command line with errors and usage messages going to {@code err}. */
    public static int execute(PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setErr(err);
        // picocli asks the mapper for the exit code of a failure; the contract of exit codes lives in ExitCodes
        cli.setExitCodeExceptionMapper(ExitCodes::of);
        cli.setExecutionExceptionHandler(Main::handle);
        cli.setExecutionStrategy(Main::run);
        return cli.execute(args);
    }

    /**
     * Runs the command; without {@code --verbose}, Spark's logs of tasks that failed on bad input are kept off the
     * console, where {@link #handle} prints the one line that names the file and line.
     */
    private static int run(CommandLine.ParseResult parsed) {
        if (verbose(parsed)) {
            return new CommandLine.RunLast().execute(parsed);
        }
        try (InputErrorLogFilter.Installed quiet = InputErrorLogFilter.installOnConsole()) {
            return new CommandLine.RunLast().execute(parsed);
        }
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "a command is required; see --help");
    }

    private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        Throwable cause = ExitCodes.rootCause(e);
        int code = cli.getExitCodeExceptionMapper().getExitCode(e);
        PrintWriter err = cli.getErr();
        String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        err.println("spark-lstm " + cli.getCommandName() + ": " + message);
        if (verbose(parsed)) {
            e.printStackTrace(err);
        } else if (code == ExitCodes.FAILURE) {
            err.println("(run with --verbose for the stack trace)");
        }
        err.flush();
        return code;
    }

    private static boolean verbose(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) return true;
        }
        return false;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"spark-lstm " + BuildInfo.version()};
        }
    }
}
