package io.sparklstm.jobs.cli;

import io.sparklstm.jobs.config.JobConfig;
import io.sparklstm.ml.examples.ClassifierExample;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * {@code ml-example}: the Spark ML example of the README and docs/ml.md, the very code of
 * {@link ClassifierExample}, run on the shipped synthetic control data unless told otherwise.
 */
@Command(name = "ml-example", mixinStandardHelpOptions = true,
        description = {"Run the Spark ML example of the README (io.sparklstm.ml.examples.ClassifierExample): an "
                + "LstmClassifier in a Pipeline, tuned by CrossValidator over two learning rates with Spark's "
                + "accuracy evaluator, scored on a fifth of the sequences held out (prints \"test accuracy ...\") "
                + "and saved as a PipelineModel under --output.",
                "Input: the UCI synthetic control layout (one univariate sequence per line, whitespace-separated "
                        + "values, classes in blocks of 100 lines); by default the copy shipped in tests/data."})
final class MlExampleCommand extends JobCommand {

    static final String SHIPPED = "tests/data/synthetic_control/synthetic_control.data";

    @Spec
    CommandSpec spec;

    @Option(names = "--input", paramLabel = "PATH", defaultValue = SHIPPED,
            description = "The sequences, on any Hadoop filesystem (default: ${DEFAULT-VALUE}, relative to the "
                    + "working directory).")
    String input;

    @Option(names = "--output", required = true, paramLabel = "DIR",
            description = "Where the best PipelineModel is saved (replaced if it exists).")
    String output;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "30",
            description = "Training epochs of every fit (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--folds", paramLabel = "N", defaultValue = "3",
            description = "CrossValidator's folds (default: ${DEFAULT-VALUE}).")
    int folds;

    @Override
    void validate(JobConfig config) {
        if (epochs < 1) throw usage("--epochs " + epochs + " is invalid: expected a positive integer");
        if (folds < 2) throw usage("--folds " + folds + " is invalid: expected at least 2");
    }

    /** A missing input is a usage error found before Spark starts, not a failed Spark job. */
    @Override
    void checkOutputs(JobConfig config, Configuration hadoop) {
        Path path = new Path(input);
        try {
            if (!path.getFileSystem(hadoop).exists(path)) {
                throw usage("--input " + input + ": no such file (run from the repository root for the shipped "
                        + "data, or name a file)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("--input " + input + ": " + e.getMessage(), e);
        }
    }

    @Override
    int run(JavaSparkContext sc, JobConfig config) throws IOException {
        SparkSession spark = SparkSession.builder().getOrCreate();
        ClassifierExample.run(ClassifierExample.syntheticControl(spark, qualify(sc, input)), qualify(sc, output),
                epochs, folds);
        return ExitCodes.OK;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
