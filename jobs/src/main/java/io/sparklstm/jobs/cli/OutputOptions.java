package io.sparklstm.jobs.cli;

import picocli.CommandLine.Option;

/** Where a command writes, and whether it may replace what is there. */
public final class OutputOptions {

    @Option(names = "--output", paramLabel = "DIR", required = true,
            description = "Output directory on any Hadoop filesystem.")
    String output;

    @Option(names = "--overwrite", description = "Replace the output directory if it exists and holds this "
            + "command's kind of output (written by spark-lstm); the old output stays until the new one is complete.")
    boolean overwrite;
}
