package io.sparklstm.jobs.cli;

import io.sparklstm.jobs.config.JobConfig;
import io.sparklstm.jobs.evaluate.EvaluateJob;
import io.sparklstm.jobs.train.RunDirectory;
import io.sparklstm.jobs.train.TrainJob;
import io.sparklstm.prep.PreparedOutput;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;
import java.util.Map;

/** {@code pipeline}: prepare, train and evaluate in one run, in {@code DIR/data} and {@code DIR/run}. */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = "Prepare, train and evaluate in one run: writes DIR/data (dataset) and DIR/run (training run).")
final class PipelineCommand extends JobCommand {

    @Mixin
    OutputOptions output;

    @Override
    void validate(JobConfig config) {
        requireInput(config);
    }

    @Override
    int run(JavaSparkContext sc, JobConfig config) {
        String root = qualify(sc, output.output);
        PreparedOutput.claim(root, output.overwrite, sc.hadoopConfiguration());
        String data = new Path(root, "data").toString();
        String run = new Path(root, "run").toString();
        long t0 = System.nanoTime();
        PrepareCommand.prepare(sc, config, data, false);
        TrainJob.run(sc, config, data, run, false);
        // Score the bundle as saved, read back from disk: what users will load is what is measured.
        Map<String, Map<String, Object>> test = EvaluateJob.run(sc,
                EvaluateJob.loadBundle(new Path(run, RunDirectory.MODEL).toString(), sc.hadoopConfiguration()),
                data, List.of("test"));
        EvaluateCommand.write(sc, new Path(run, "evaluation.json").toString(), test);
        Console.printMetrics(System.out, test);
        System.out.printf("pipeline finished in %.0f s%n", (System.nanoTime() - t0) / 1e9);
        System.out.println("dataset:  " + data);
        System.out.println("metrics:  " + new Path(run, RunDirectory.SUMMARY) + ", " + new Path(run, RunDirectory.METRICS)
                + ", " + new Path(run, RunDirectory.REPORT));
        System.out.println("model:    " + new Path(run, RunDirectory.MODEL));
        return ExitCodes.OK;
    }
}
