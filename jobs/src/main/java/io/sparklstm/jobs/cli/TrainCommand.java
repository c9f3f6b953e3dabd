package io.sparklstm.jobs.cli;

import io.sparklstm.jobs.config.ConfigException;
import io.sparklstm.jobs.config.JobConfig;
import io.sparklstm.jobs.train.RunDirectory;
import io.sparklstm.jobs.train.TrainJob;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** {@code train}: a prepared dataset to a training run directory, or a killed run resumed. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train the configured LSTM on a prepared dataset with parameter averaging on Spark.",
                "With --resume RUN_DIR, continue a run from its newest checkpoint, with the configuration it was "
                        + "started with (--set may change it, e.g. training.epochs)."})
final class TrainCommand extends JobCommand {

    @Option(names = "--data", paramLabel = "DIR", description = "Prepared dataset (from prepare).")
    String data;

    @Option(names = "--output", paramLabel = "RUN_DIR", description = "Run directory to write.")
    String output;

    @Option(names = "--overwrite", description = "Replace the run directory if it exists and is a training run; "
            + "the old run stays until the new one is complete.")
    boolean overwrite;

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue this run from its newest checkpoint.")
    String resume;

    @Override
    JobConfig loadConfig() {
        if (resume == null) {
            if (data == null || output == null) {
                throw new ConfigException("train needs --data DIR and --output RUN_DIR (or --resume RUN_DIR)");
            }
            return common.load();
        }
        if (data != null || output != null || !common.conf.isEmpty()) {
            throw new ConfigException("--resume takes the dataset, the output and the configuration from the run; "
                    + "do not combine it with --data, --output or --conf");
        }
        Path saved = new Path(resume, RunDirectory.CONFIG);
        try (InputStream in = saved.getFileSystem(new Configuration()).open(saved)) {
            return common.load(saved.toString(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigException("--resume " + resume + ": cannot read " + saved + " (" + e.getMessage()
                    + "); is it a training run directory?");
        }
    }

    @Override
    void checkOutputs(JobConfig config, Configuration hadoop) {
        if (resume == null) {
            TrainJob.outputRequest(qualify(hadoop, data), qualify(hadoop, output), overwrite).check(hadoop);
        }
    }

    @Override
    int run(JavaSparkContext sc, JobConfig config) {
        TrainJob.Result result = resume == null
                ? TrainJob.run(sc, config, qualify(sc, data), qualify(sc, output), overwrite)
                : TrainJob.resume(sc, config, qualify(sc, resume));
        Console.printMetrics(System.out, result.summary());
        System.out.println("run directory: " + result.runDir());
        return ExitCodes.OK;
    }
}
