package io.sparklstm.jobs.cli;

import io.sparklstm.jobs.config.JobConfig;
import io.sparklstm.jobs.train.TrainJob;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code train}: a prepared dataset to a training run directory. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the configured LSTM on a prepared dataset with parameter averaging on Spark.")
final class TrainCommand extends JobCommand {

    @Option(names = "--data", paramLabel = "DIR", required = true, description = "Prepared dataset (from prepare).")
    String data;

    @Mixin
    OutputOptions output;

    @Override
    int run(JavaSparkContext sc, JobConfig config) {
        TrainJob.Result result = TrainJob.run(sc, config, qualify(sc, data), qualify(sc, output.output),
                output.overwrite);
        Console.printMetrics(System.out, result.summary());
        System.out.println("run directory: " + result.runDir());
        return ExitCodes.OK;
    }
}
