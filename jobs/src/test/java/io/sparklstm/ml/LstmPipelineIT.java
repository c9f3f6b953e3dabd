package io.sparklstm.ml;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.ml.tuning.TrainValidationSplitModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The estimator among Spark's own stages: a Pipeline, model selection over a parameter grid, saved pipelines. */
class LstmPipelineIT {

    @AfterAll
    static void stopSpark() {
        MlData.stop();
    }

    private static double accuracy(Dataset<Row> scored, String label) {
        return new MulticlassClassificationEvaluator().setLabelCol(label).setMetricName("accuracy").evaluate(scored);
    }

    /**
     * A SQL stage renames the label before the estimator; model selection over two learning rates, one too small
     * to learn in a few epochs, must pick the other, and the saved best pipeline must score as it did.
     */
    @Test
    void modelSelectionOverAPipelinePicksTheLearningRateThatLearnsAndItsPipelineSavesAndLoads(@TempDir Path dir)
            throws IOException {
        Dataset<Row> all = MlData.syntheticControl(2);
        Dataset<Row> train = all.filter("id % 4 != 0");
        Dataset<Row> test = all.filter("id % 4 = 0");
        SQLTransformer rename = new SQLTransformer().setStatement("SELECT id, features, label AS class FROM __THIS__");
        LstmClassifier lstm = LstmClassifierIT.classifier(dir.resolve("tmp")).setLabelCol("class").setEpochs(5);
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {rename, lstm});
        ParamMap[] grid = new ParamGridBuilder().addGrid(lstm.learningRate(), new double[] {0.01, 1e-6}).build();
        TrainValidationSplit selection = new TrainValidationSplit().setEstimator(pipeline).setEstimatorParamMaps(grid)
                .setEvaluator(new MulticlassClassificationEvaluator().setLabelCol("class").setMetricName("accuracy"))
                .setTrainRatio(0.75).setSeed(3L);
        TrainValidationSplitModel selected = selection.fit(train);

        double[] metrics = selected.validationMetrics();
        assertTrue(metrics[0] > metrics[1] + 0.2, java.util.Arrays.toString(metrics));
        PipelineModel best = (PipelineModel) selected.bestModel();
        LstmClassificationModel fitted = (LstmClassificationModel) best.stages()[1];
        assertEquals(0.01, fitted.bundle().info().spec().learningRate(), 1e-12);
        double accuracy = accuracy(best.transform(test), "class");
        assertTrue(accuracy >= 0.7, "accuracy " + accuracy);

        String path = dir.resolve("pipeline").toString();
        best.write().save(path);
        PipelineModel loaded = PipelineModel.load(path);
        List<Row> before = best.transform(test).select("id", "prediction").orderBy("id").collectAsList();
        List<Row> after = loaded.transform(test).select("id", "prediction").orderBy("id").collectAsList();
        assertEquals(before, after);

        // the unfitted estimator saves and loads with its parameters, as a pipeline stage
        String stagePath = dir.resolve("estimator").toString();
        lstm.write().save(stagePath);
        LstmClassifier reloaded = LstmClassifier.load(stagePath);
        assertEquals("class", reloaded.getLabelCol());
        assertEquals(5, reloaded.getEpochs());
    }

    /**
     * JapaneseVowels: 12 channels a step as vectors, 7 to 29 steps (masked); the archive's own test file scored.
     * A held-out validation fraction gives each epoch validation metrics.
     */
    @Test
    void variableLengthMultichannelSequencesAsVectorsAreClassified(@TempDir Path dir) throws IOException {
        Dataset<Row> train = MlData.japaneseVowels("JapaneseVowels_TRAIN.ts");
        Dataset<Row> test = MlData.japaneseVowels("JapaneseVowels_TEST.ts");
        LstmClassificationModel model = new LstmClassifier().setHiddenUnits(new int[] {32}).setLearningRate(0.01)
                .setEpochs(5).setMinibatchSize(16).setAveragingFrequency(3).setNumWorkers(2)
                .setValidationFraction(0.15).setKeepBest(false).setTempDir(dir.toUri().toString()).fit(train);
        assertEquals(12, model.numChannels());
        assertEquals(9, model.numClasses());
        assertEquals(5, model.summary().validationHistory("accuracy").length);
        double accuracy = accuracy(model.transform(test), "label");
        // nine speakers: chance is 0.11
        assertTrue(accuracy >= 0.7, "accuracy " + accuracy);
    }
}
