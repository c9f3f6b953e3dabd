package io.sparklstm.ml.examples;

import io.sparklstm.jobs.cli.Main;
import io.sparklstm.ml.LstmClassificationModel;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code spark-lstm ml-example}: the README's example run by the command line on the shipped data. */
class MlExampleCommandIT {

    private static Path shipped() {
        String root = System.getProperty("sparklstm.repo.root");
        Path base = root == null ? Paths.get("..").toAbsolutePath().normalize() : Paths.get(root);
        return base.resolve("tests/data/synthetic_control/synthetic_control.data");
    }

    @Test
    void theReadmeExampleRunsFromTheCommandLineAndPrintsItsTestAccuracy(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("model");
        StringWriter err = new StringWriter();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int code;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            // one epoch, two folds: 2 folds x 2 learning rates + the refit, each a real prepare and training run
            code = Main.execute(new PrintWriter(err, true), "ml-example", "--input", shipped().toString(),
                    "--output", output.toString(), "--epochs", "1", "--folds", "2", "--master", "local[2]");
        } finally {
            System.setOut(stdout);
        }
        String out = printed.toString(StandardCharsets.UTF_8);
        stdout.print(out);
        assertEquals(0, code, err + out);
        Matcher accuracy = Pattern.compile("(?m)^test accuracy ([0-9.E-]+)$").matcher(out);
        assertTrue(accuracy.find(), out);
        double value = Double.parseDouble(accuracy.group(1));
        assertTrue(value >= 0 && value <= 1, out);
        assertTrue(out.contains("mean accuracy per learning rate ["), out);

        // the saved best pipeline reads back, its LSTM stage a fitted model (the command stopped its own Spark)
        SparkSession spark = SparkSession.builder().master("local[1]").appName("ml-example-it")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        try {
            PipelineModel loaded = PipelineModel.load(output.toString());
            assertEquals(2, loaded.stages().length);
            assertTrue(loaded.stages()[1] instanceof LstmClassificationModel, loaded.stages()[1].toString());
        } finally {
            spark.stop();
        }
    }

    @Test
    void aMissingInputIsAUsageErrorBeforeSparkStarts(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(err, true), "ml-example", "--input", dir.resolve("none.data").toString(),
                "--output", dir.resolve("model").toString());
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("none.data: no such file"), err.toString());
    }
}
