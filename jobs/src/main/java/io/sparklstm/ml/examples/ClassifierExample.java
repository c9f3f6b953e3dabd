package io.sparklstm.ml.examples;

// begin docs/ml.md example
import io.sparklstm.ml.LstmClassificationModel;
import io.sparklstm.ml.LstmClassifier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.util.Arrays;

/**
 * Sequence classification from Spark ML: an LstmClassifier in a Pipeline, tuned by CrossValidator, scored with
 * Spark's accuracy evaluator and saved. Run it with spark-submit (the job jar on the classpath), arguments: the UCI
 * synthetic control file, the directory to save the model in. {@code spark-lstm ml-example} runs the same code.
 */
public final class ClassifierExample {

    public static void main(String[] args) throws IOException {
        SparkSession spark = SparkSession.builder().appName("lstm-example").getOrCreate();
        run(syntheticControl(spark, args[0]), args[1], 30, 3);
        spark.stop();
    }

    /** Fits, tunes, scores and saves; returns the accuracy on the rows held out. */
    public static double run(Dataset<Row> data, String output, int epochs, int folds) throws IOException {
        // begin README.md example
        // data: one sequence per row, features array<array<double>> (steps x channels), label 0..k-1
        Dataset<Row>[] parts = data.randomSplit(new double[] {0.8, 0.2}, 42L);
        // io.sparklstm.ml, in jobs/target/spark-lstm.jar; on a cluster also .setTempDir("hdfs:///tmp/spark-lstm-ml")
        LstmClassifier lstm = new LstmClassifier()
                .setHiddenUnits(new int[] {64}).setEpochs(epochs).setLearningRate(0.005).setMinibatchSize(16)
                .setPerSequence("standardize").setSequenceStats(true).setSeed(12345L);
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
                new SQLTransformer().setStatement("SELECT features, label FROM __THIS__"), lstm});
        ParamMap[] grid = new ParamGridBuilder().addGrid(lstm.learningRate(), new double[] {0.01, 0.001}).build();
        MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy");
        CrossValidatorModel cv = new CrossValidator().setEstimator(pipeline).setEstimatorParamMaps(grid)
                .setEvaluator(accuracy).setNumFolds(folds).setSeed(42L).fit(parts[0]);
        PipelineModel best = (PipelineModel) cv.bestModel();
        LstmClassificationModel model = (LstmClassificationModel) best.stages()[1];
        System.out.println("mean accuracy per learning rate " + Arrays.toString(cv.avgMetrics()));
        System.out.println("loss per epoch " + Arrays.toString(model.summary().objectiveHistory()));
        double testAccuracy = accuracy.evaluate(cv.transform(parts[1]));  // + prediction, probability
        System.out.println("test accuracy " + testAccuracy);
        best.write().overwrite().save(output);  // PipelineModel.load(output) reads it back
        // end README.md example
        return testAccuracy;
    }

    /**
     * The UCI synthetic control file (600 lines of 60 values, classes in blocks of 100 lines) as one sequence of
     * one channel per row.
     */
    public static Dataset<Row> syntheticControl(SparkSession spark, String path) {
        JavaRDD<Row> rows = spark.read().textFile(path).javaRDD().zipWithIndex().map(line -> {
            String[] values = line._1().trim().split("\\s+");
            double[][] steps = new double[values.length][];  // steps x channels, one channel
            for (int t = 0; t < values.length; t++) steps[t] = new double[] {Double.parseDouble(values[t])};
            return RowFactory.create(steps, (double) (line._2() / 100));
        });
        StructType schema = new StructType()
                .add("features", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.DoubleType)), false)
                .add("label", DataTypes.DoubleType, false);
        return spark.createDataFrame(rows, schema);
    }
}
// end docs/ml.md example
