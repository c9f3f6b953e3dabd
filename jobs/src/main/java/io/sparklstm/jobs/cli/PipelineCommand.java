package io.sparklstm.jobs.cli;

import io.sparklstm.jobs.config.JobConfig;
import io.sparklstm.jobs.evaluate.EvaluateJob;
import io.sparklstm.jobs.evaluate.Metrics;
import io.sparklstm.jobs.registry.ModelLocation;
import io.sparklstm.jobs.train.RunDirectory;
import io.sparklstm.jobs.train.TrainJob;
import io.sparklstm.prep.job.PrepareJob;
import io.sparklstm.prep.output.OutputDirectory;
import io.sparklstm.prep.output.OutputKind;
import io.sparklstm.prep.output.OutputRequest;
import org.apache.hadoop.conf.Configuration;
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
    void checkOutputs(JobConfig config, Configuration hadoop) {
        outputRequest(config, qualify(hadoop, output.output), output.overwrite).check(hadoop);
    }

    /**
     * What {@code pipeline} writes: one directory holding a dataset and the run trained on it, replacing only
     * another such, and never one that holds the input. Written in place when new (a run that fails or is
     * killed stays where it is looked for), beside the old one when replacing it, which stays until the new one
     * is complete.
     */
    static OutputRequest outputRequest(JobConfig config, String dir, boolean overwrite) {
        return new OutputRequest(dir, OutputKind.PIPELINE, overwrite, OutputRequest.Placement.IN_PLACE_WHEN_NEW,
                PrepareJob.inputs(config.prepare()));
    }

    @Override
    int run(JavaSparkContext sc, JobConfig config) {
        OutputDirectory out = outputRequest(config, qualify(sc, output.output), output.overwrite)
                .claim(sc.hadoopConfiguration());
        long t0 = System.nanoTime();
        Map<String, Metrics> test;
        try {
            test = run(sc, config, out.path());
            out.commit();
        } catch (Throwable e) { // also what Spark throws undeclared: checked exceptions, e.g. a failed job
            out.abandon();
            throw e;
        }
        String data = new Path(out.target(), "data").toString();
        String run = new Path(out.target(), "run").toString();
        Console.printEnsemble(System.out, config.model().ensembleMembers());
        Console.printMetrics(System.out, test);
        System.out.printf("pipeline finished in %.0f s%n", (System.nanoTime() - t0) / 1e9);
        System.out.println("dataset:  " + data);
        System.out.println("metrics:  " + new Path(run, RunDirectory.SUMMARY) + ", " + new Path(run, RunDirectory.METRICS)
                + ", " + new Path(run, RunDirectory.REPORT));
        System.out.println("model:    " + new Path(run, RunDirectory.MODEL));
        return ExitCodes.OK;
    }

    /**
     * Prepares {@code root/data} and trains {@code root/run} on it; returns the test metrics of the saved bundle.
     * The run names its dataset relative to itself ({@code ../data}): right in the directory written now, and in
     * the one it becomes.
     */
    private static Map<String, Metrics> run(JavaSparkContext sc, JobConfig config, String root) {
        String data = new Path(root, "data").toString();
        String run = new Path(root, "run").toString();
        PrepareCommand.prepare(sc, config, data, false);
        TrainJob.run(sc, config, "../data", run, false);
        // Score the bundle as saved, read back from disk: what users will load is what is measured.
        Map<String, Metrics> test = EvaluateJob.run(sc,
                ModelLocation.loadBundle(new Path(run, RunDirectory.MODEL).toString(), sc.hadoopConfiguration()),
                data, List.of("test"), config.training().evalBatchSize());
        EvaluateCommand.write(sc, new Path(run, "evaluation.json").toString(), test);
        return test;
    }
}
