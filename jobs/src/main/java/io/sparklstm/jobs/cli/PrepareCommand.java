package io.sparklstm.jobs.cli;

import io.sparklstm.jobs.config.JobConfig;
import io.sparklstm.model.data.DatasetManifest;
import io.sparklstm.model.data.Preparation;
import io.sparklstm.prep.job.PrepareJob;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Optional;

/** {@code prepare}: raw data to minibatch files and a manifest. */
@Command(name = "prepare", mixinStandardHelpOptions = true,
        description = "Prepare raw sequence data (input.path) into training-ready minibatch files and manifest.json.")
final class PrepareCommand extends JobCommand {

    @Mixin
    OutputOptions output;

    @Override
    void validate(JobConfig config) {
        requireInput(config);
    }

    @Override
    void checkOutputs(JobConfig config, Configuration hadoop) {
        PrepareJob.outputRequest(config.prepare(), qualify(hadoop, output.output), output.overwrite).check(hadoop);
    }

    @Override
    int run(JavaSparkContext sc, JobConfig config) {
        DatasetManifest manifest = prepare(sc, config, qualify(sc, output.output), output.overwrite);
        System.out.println("prepared dataset: " + qualify(sc, output.output));
        manifest.splits().forEach((name, split) -> System.out.printf("  %-10s %8d examples in %5d files%n", name,
                split.examples(), split.batches()));
        return ExitCodes.OK;
    }

    static DatasetManifest prepare(JavaSparkContext sc, JobConfig config, String dir, boolean overwrite) {
        return prepare(sc, config, dir, overwrite, Optional.empty());
    }

    /** Prepares with a stored preparation's normalizer and vocabularies when {@code reuse} holds one. */
    static DatasetManifest prepare(JavaSparkContext sc, JobConfig config, String dir, boolean overwrite,
                                   Optional<Preparation> reuse) {
        return PrepareJob.run(sc, config.prepare(), dir, overwrite, config.prepareSettings(), reuse);
    }
}
