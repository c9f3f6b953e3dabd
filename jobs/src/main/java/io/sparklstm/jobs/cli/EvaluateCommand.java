package io.sparklstm.jobs.cli;

import io.sparklstm.jobs.config.JobConfig;
import io.sparklstm.jobs.evaluate.EvaluateJob;
import io.sparklstm.jobs.evaluate.Metrics;
import io.sparklstm.jobs.registry.ModelLocation;
import io.sparklstm.jobs.train.RunDirectory;
import io.sparklstm.model.bundle.ModelBundle;
import io.sparklstm.prep.output.PreparedOutput;
import io.sparklstm.prep.output.OutputRequest;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code evaluate}: a model bundle scored on splits of a prepared dataset. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Score a model bundle (or a training run) on a prepared dataset's split(s).")
final class EvaluateCommand extends JobCommand {

    @Option(names = "--model", paramLabel = "DIR", required = true,
            description = "Model bundle directory, or a training run directory (its model/ is used).")
    String model;

    @Option(names = "--data", paramLabel = "DIR", required = true, description = "Prepared dataset.")
    String data;

    @Option(names = "--split", paramLabel = "NAME", split = ",", defaultValue = "test",
            description = "Split(s) to score: train, validation, test (comma separated; default: test).")
    List<String> splits;

    @Option(names = "--output", paramLabel = "FILE",
            description = "Write the metrics as JSON to this file (any Hadoop filesystem).")
    String output;

    /** The metrics file goes neither into the dataset nor into the model, and where it can be written. */
    @Override
    void checkOutputs(JobConfig config, Configuration hadoop) {
        if (output == null) return;
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put("--data", data);
        inputs.put("--model", bundleDirectory(qualify(hadoop, model), hadoop));
        OutputRequest.checkFile(qualify(hadoop, output), inputs, hadoop);
    }

    /** The bundle's own directory: {@code model/} of a training run, else the directory given. */
    private static String bundleDirectory(String model, Configuration hadoop) {
        Path inRun = new Path(model, RunDirectory.MODEL);
        try {
            boolean run = inRun.getFileSystem(hadoop).exists(new Path(inRun, ModelBundle.INFO_FILE));
            return run ? inRun.toString() : model;
        } catch (java.io.IOException e) {
            return model;
        }
    }

    @Override
    int run(JavaSparkContext sc, JobConfig config) {
        Map<String, Metrics> metrics = EvaluateJob.run(sc,
                ModelLocation.loadBundle(qualify(sc, model), sc.hadoopConfiguration()), qualify(sc, data), splits,
                config.training().evalBatchSize());
        Console.printMetrics(System.out, metrics);
        if (output != null) {
            write(sc, qualify(sc, output), metrics);
            System.out.println("metrics: " + qualify(sc, output));
        }
        return ExitCodes.OK;
    }

    static void write(JavaSparkContext sc, String file, Map<String, Metrics> metrics) {
        Path path = new Path(file);
        PreparedOutput.writeJson(path.getParent().toString(), path.getName(), metrics, sc.hadoopConfiguration());
    }
}
