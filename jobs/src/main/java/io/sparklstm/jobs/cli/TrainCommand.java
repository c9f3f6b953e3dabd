package io.sparklstm.jobs.cli;

import io.sparklstm.jobs.config.ConfigException;
import io.sparklstm.jobs.config.JobConfig;
import io.sparklstm.jobs.train.RunDirectory;
import io.sparklstm.jobs.train.TrainJob;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.ArgGroup;
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

    /** Either a new run (its dataset and run directory) or a killed run resumed; picocli refuses both or none. */
    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    static final class Mode {
        @ArgGroup(exclusive = false, multiplicity = "1", heading = "A new run:%n")
        NewRun fresh;

        @Option(names = "--resume", paramLabel = "RUN_DIR", required = true,
                description = "Continue this run from its newest checkpoint, with the dataset, output and "
                        + "configuration saved in it (not with --data, --output or --conf).")
        String resume;
    }

    static final class NewRun {
        @Option(names = "--data", paramLabel = "DIR", required = true, description = "Prepared dataset (from prepare).")
        String data;

        @Option(names = "--output", paramLabel = "RUN_DIR", required = true, description = "Run directory to write.")
        String output;

        @Option(names = "--overwrite", description = "Replace the run directory if it exists and is a training "
                + "run; the old run stays until the new one is complete.")
        boolean overwrite;
    }

    @Override
    JobConfig loadConfig() {
        if (mode.resume == null) {
            return common.load();
        }
        if (!common.conf.isEmpty()) {
            // --conf belongs to every job command (a mixin), so picocli's groups cannot exclude it here
            throw new ConfigException("--resume takes the dataset, the output and the configuration from the run; "
                    + "do not combine it with --conf");
        }
        Path saved = new Path(mode.resume, RunDirectory.CONFIG);
        JobConfig config;
        try (InputStream in = saved.getFileSystem(new Configuration()).open(saved)) {
            config = common.load(saved.toString(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigException("--resume " + mode.resume + ": cannot read " + saved + " (" + e.getMessage()
                    + "); is it a training run directory?");
        }
        TrainJob.requireResumable(config, mode.resume); // before Spark starts
        return config;
    }

    @Override
    void checkOutputs(JobConfig config, Configuration hadoop) {
        if (mode.resume == null) {
            NewRun run = mode.fresh;
            TrainJob.outputRequest(qualify(hadoop, run.data), qualify(hadoop, run.output), run.overwrite).check(hadoop);
        }
    }

    @Override
    int run(JavaSparkContext sc, JobConfig config) {
        TrainJob.Result result = mode.resume == null
                ? TrainJob.run(sc, config, qualify(sc, mode.fresh.data), qualify(sc, mode.fresh.output),
                        mode.fresh.overwrite)
                : TrainJob.resume(sc, config, qualify(sc, mode.resume));
        Console.printEnsemble(System.out, result.bundle().ensemble().size());
        Console.printMetrics(System.out, result.summary());
        System.out.println("run directory: " + result.runDir());
        return ExitCodes.OK;
    }
}
