package io.sparklstm.ml;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** The shipped datasets as DataFrames of one sequence per row, and the local Spark session the ITs share. */
final class MlData {

    private static SparkSession spark;

    private MlData() {
    }

    /** One small local session for every test of the package: two threads, no UI, fail fast. */
    static synchronized SparkSession spark() {
        // a command line run in the same JVM (Main.execute) stops the session it shared when it ends
        if (spark == null || spark.sparkContext().isStopped()) {
            spark = SparkSession.builder().master("local[2]").appName("spark-lstm-ml-it")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.stage.maxConsecutiveAttempts", "1")
                    .config("spark.sql.shuffle.partitions", "2")
                    .getOrCreate();
        }
        return spark;
    }

    /**
     * Stops the session at the end of a test class: other ITs of the module, in the same JVM, start SparkContexts of
     * their own, and a JVM holds one at a time.
     */
    static synchronized void stop() {
        if (spark != null) spark.stop();
        spark = null;
    }

    static Path shipped(String relative) {
        String root = System.getProperty("sparklstm.repo.root");
        Path base = root == null ? Paths.get("..").toAbsolutePath().normalize() : Paths.get(root);
        return base.resolve("tests/data").resolve(relative);
    }

    static final StructType NESTED = new StructType()
            .add("id", DataTypes.IntegerType, false)
            .add("features", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.DoubleType)), false)
            .add("label", DataTypes.DoubleType, false);

    static final StructType VECTORS = new StructType()
            .add("id", DataTypes.IntegerType, false)
            .add("features", DataTypes.createArrayType(SQLDataTypes.VectorType()), false)
            .add("label", DataTypes.DoubleType, false);

    /**
     * UCI synthetic control: 600 univariate sequences of 60 steps, classes in blocks of 100 lines; every
     * {@code every}-th line, as {@code array<array<double>>} (60 steps of one channel).
     */
    static Dataset<Row> syntheticControl(int every) throws IOException {
        List<String> lines = Files.readAllLines(shipped("synthetic_control/synthetic_control.data"));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i += every) {
            String[] fields = lines.get(i).trim().split("\\s+");
            List<List<Double>> steps = new ArrayList<>();
            for (String f : fields) steps.add(List.of(Double.parseDouble(f)));
            rows.add(RowFactory.create(i, steps, (double) (i / 100)));
        }
        return spark().createDataFrame(rows, NESTED);
    }

    /**
     * A JapaneseVowels {@code .ts} file: 12 channels, 7 to 29 steps, as {@code array<vector>} (a vector of 12
     * channels per step), the classes 1..9 as indexes 0..8.
     */
    static Dataset<Row> japaneseVowels(String file) throws IOException {
        List<Row> rows = new ArrayList<>();
        boolean data = false;
        int id = 0;
        for (String line : Files.readAllLines(shipped("uea/" + file))) {
            if (!data) {
                data = line.trim().equalsIgnoreCase("@data");
                continue;
            }
            String[] channels = line.trim().split(":");
            int steps = channels[0].split(",").length;
            double[][] byStep = new double[steps][channels.length - 1];
            for (int c = 0; c < channels.length - 1; c++) {
                String[] values = channels[c].split(",");
                for (int t = 0; t < steps; t++) byStep[t][c] = Double.parseDouble(values[t]);
            }
            List<Vector> sequence = new ArrayList<>();
            for (double[] step : byStep) sequence.add(Vectors.dense(step));
            rows.add(RowFactory.create(id++, sequence, Double.parseDouble(channels[channels.length - 1]) - 1));
        }
        return spark().createDataFrame(rows, VECTORS);
    }
}
