package io.sparklstm.jobs.cli;

import io.sparklstm.jobs.config.JobConfig;
import io.sparklstm.jobs.registry.ModelRegistry;
import io.sparklstm.jobs.registry.RetrainConfig;
import io.sparklstm.jobs.registry.RetrainJob;
import io.sparklstm.jobs.train.TrainJob;
import io.sparklstm.prep.job.PrepareJob;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code retrain}: one scheduled retraining round against a model registry. */
@Command(name = "retrain", mixinStandardHelpOptions = true,
        description = {"One scheduled retraining round: prepare the new data (input.path) with the champion's "
                + "preparation, train a challenger warm-started from the champion, score both on the new data's "
                + "test split, promote the challenger in the registry (retrain.*) only when it is better by "
                + "retrain.minImprovement, and record the decision in the registry's history/.",
                "Exit codes: 0 promoted (or the round was already decided so), 10 champion kept, 75 the registry "
                        + "is locked by another run (try later), 2/3/4/1 failures as for train."})
final class RetrainCommand extends JobCommand {

    @Option(names = "--output", required = true, paramLabel = "WORK_DIR",
            description = "Where this round writes its prepared data and its training run.")
    String output;

    @Option(names = "--round", required = true, paramLabel = "ID",
            description = "This round's identity, e.g. the date of its data (2026-11-22): a round already decided "
                    + "is not run again, so a rerun after a crash never promotes twice.")
    String round;

    private RetrainConfig retrain;

    @Override
    void validate(JobConfig config) {
        requireInput(config);
        retrain = RetrainConfig.from(config.raw());
    }

    /**
     * The registry is on a filesystem that keeps it consistent; the round's dataset and run replace the last
     * round's, never a directory the tool did not write.
     */
    @Override
    void checkOutputs(JobConfig config, Configuration hadoop) {
        ModelRegistry.checkFilesystem(retrain.registry(), hadoop, retrain.allowNonAtomicFilesystem());
        String work = qualify(hadoop, output);
        String data = new Path(work, RetrainJob.DATA_DIR).toString();
        PrepareJob.outputRequest(config.prepare(), data, true).check(hadoop);
        TrainJob.outputRequest(data, new Path(work, RetrainJob.RUN_DIR).toString(), true).check(hadoop);
    }

    @Override
    int run(JavaSparkContext sc, JobConfig config) {
        RetrainJob.Result result = RetrainJob.run(sc, config, retrain, round, qualify(sc, output),
                (ctx, c, dataDir, reuse) -> new RetrainJob.Prepared(
                        PrepareCommand.prepare(ctx, c, dataDir, true, reuse),
                        PrepareJob.readObserved(dataDir, ctx.hadoopConfiguration())));
        System.out.println("retrain " + round + ": " + result.record().decision() + ": "
                + result.record().reason());
        return result.outcome() == RetrainJob.Outcome.PROMOTED ? ExitCodes.OK : ExitCodes.KEPT_CHAMPION;
    }
}
