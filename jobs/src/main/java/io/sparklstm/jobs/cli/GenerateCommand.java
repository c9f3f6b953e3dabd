package io.sparklstm.jobs.cli;

import io.sparklstm.jobs.config.ConfigException;
import io.sparklstm.jobs.config.JobConfig;
import io.sparklstm.jobs.generate.SyntheticTable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Locale;

/** {@code generate}: a synthetic time-series table of any size, for benchmarks and first tries. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Write a synthetic time-series CSV table (date[,entity],x0..xN) with daily and weekly cycles "
                + "and autoregressive noise, in parallel, e.g. to benchmark prepare.")
final class GenerateCommand extends JobCommand {

    @Mixin
    OutputOptions output;

    @Option(names = "--rows", required = true, paramLabel = "N", description = "Rows in all (e.g. 20000000).")
    long rows;

    @Option(names = "--entities", defaultValue = "1", paramLabel = "N",
            description = "Series in the table; more than 1 adds an entity column (default: ${DEFAULT-VALUE}).")
    int entities;

    @Option(names = "--columns", defaultValue = "8", paramLabel = "N",
            description = "Numeric columns (default: ${DEFAULT-VALUE}).")
    int columns;

    @Option(names = "--files", defaultValue = "16", paramLabel = "N",
            description = "CSV files, written in parallel (default: ${DEFAULT-VALUE}).")
    int files;

    @Option(names = "--seed", defaultValue = "12345", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--start", defaultValue = "2000-01-01T00:00", paramLabel = "TIME",
            description = "First timestamp of every series (default: ${DEFAULT-VALUE}).")
    String start;

    @Option(names = "--step-minutes", defaultValue = "60", paramLabel = "N",
            description = "Minutes between rows (default: ${DEFAULT-VALUE}).")
    int stepMinutes;

    private SyntheticTable.Spec spec;

    @Override
    void validate(JobConfig config) {
        try {
            spec = new SyntheticTable.Spec(rows, entities, columns, files, seed, start, stepMinutes);
        } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    @Override
    void checkOutputs(JobConfig config, Configuration hadoop) {
        SyntheticTable.outputRequest(qualify(hadoop, output.output), output.overwrite).check(hadoop);
    }

    @Override
    int run(JavaSparkContext sc, JobConfig config) {
        String dir = qualify(sc, output.output);
        long started = System.nanoTime();
        long bytes = SyntheticTable.write(sc, spec, dir, output.overwrite);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "generated %s: %d rows x %d columns, %d entities, %d files, %.1f MB in %.1f s%n",
                dir, rows, columns, entities, Math.min(files, rows), bytes / 1e6, seconds);
        System.out.println("header: " + spec.header());
        return ExitCodes.OK;
    }
}
