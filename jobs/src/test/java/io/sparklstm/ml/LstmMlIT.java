package io.sparklstm.ml;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparklstm.jobs.cli.Main;
import io.sparklstm.jobs.registry.ModelLocation;
import io.sparklstm.model.Json;
import io.sparklstm.model.bundle.ModelBundle;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.ml.tuning.TrainValidationSplitModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The classifier end to end on real local Spark and the shipped data: fit, transform, save and load, Spark's
 * pipelines and model selection, and the command line scoring a saved model. One class, so that one session and
 * one fitted model serve every test (each fit costs seconds of fixed work: prepare's jobs, checkpoints, the final
 * evaluation); the command line test runs last because {@code Main.execute} stops the session it shares.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LstmMlIT {

    private static final int EPOCHS = 6;

    @TempDir
    static Path shared;
    private static Dataset<Row> train;
    private static Dataset<Row> test;
    private static LstmClassificationModel model;

    @AfterAll
    static void stopSpark() {
        MlData.stop();
    }

    /** Settings as conf/datasets/synthetic-control.conf, with a smaller network and few epochs. */
    static LstmClassifier classifier(Path tempDir) {
        return new LstmClassifier().setHiddenUnits(new int[] {32}).setLearningRate(0.01).setEpochs(EPOCHS)
                .setMinibatchSize(16).setAveragingFrequency(3).setNumWorkers(2).setPerSequence("standardize")
                .setSequenceStats(true).setSeed(7L).setTempDir(tempDir.toUri().toString());
    }

    @BeforeAll
    static void fitOnce() throws IOException {
        Dataset<Row> all = MlData.syntheticControl(2); // 225 sequences to fit, 75 held out
        train = all.filter("id % 4 != 0").cache();
        test = all.filter("id % 4 = 0").cache();
        model = classifier(shared.resolve("tmp")).fit(train);
    }

    private static double accuracy(Dataset<Row> scored, String label) {
        return new MulticlassClassificationEvaluator().setLabelCol(label).setMetricName("accuracy").evaluate(scored);
    }

    @Test
    @Order(1)
    void aFittedModelClassifiesHeldOutSequencesFarAboveChance() {
        Dataset<Row> scored = model.transform(test);
        assertEquals(test.count(), scored.count());
        double accuracy = accuracy(scored, "label");
        // six classes: chance is 0.17, an untrained or constant model at most 0.25 on this balanced slice
        assertTrue(accuracy >= 0.8, "accuracy " + accuracy);
        Row first = scored.select("probability").first();
        double[] p = ((org.apache.spark.ml.linalg.Vector) first.get(0)).toArray();
        assertEquals(6, p.length);
        assertEquals(1.0, Arrays.stream(p).sum(), 1e-5);
    }

    @Test
    @Order(1)
    void theSummaryHasOneRecordPerEpochAndTheLossFalls() {
        LstmTrainingSummary summary = model.summary();
        assertEquals(EPOCHS, summary.totalEpochs());
        double[] loss = summary.objectiveHistory();
        assertTrue(loss[EPOCHS - 1] < loss[0] / 2, Arrays.toString(loss));
        assertTrue(summary.finalMetrics().containsKey("train"));
        assertEquals(0, summary.validationHistory("accuracy").length, "no validation split by default");
    }

    @Test
    @Order(1)
    void fitLeavesNothingInItsTemporaryDirectory() throws IOException {
        try (var left = Files.list(shared.resolve("tmp"))) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    @Order(1)
    void aSavedModelLoadsScoresTheSameAndIsABundleTheCommandLineReads() throws IOException {
        String path = shared.resolve("saved").toString();
        model.write().save(path);
        LstmClassificationModel loaded = LstmClassificationModel.load(path);
        assertEquals(model.uid(), loaded.uid());
        assertFalse(loaded.hasSummary());
        List<Row> before = model.transform(test).select("id", "prediction", "probability").orderBy("id").collectAsList();
        List<Row> after = loaded.transform(test).select("id", "prediction", "probability").orderBy("id").collectAsList();
        assertEquals(before, after);
        ModelBundle bundle = ModelLocation.loadBundle(path, MlData.spark().sparkContext().hadoopConfiguration());
        assertEquals(6, bundle.info().preparation().classNames().size());
        assertArrayEquals(model.bundle().network().params().toFloatVector(), bundle.network().params().toFloatVector());
    }

    @Test
    @Order(1)
    void aBadParameterValueIsRefusedWhenSet() {
        LstmClassifier c = new LstmClassifier();
        assertThrows(IllegalArgumentException.class, () -> c.setHiddenUnits(new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> c.setCellType("gru"));
        assertThrows(IllegalArgumentException.class, () -> c.setEpochs(0));
        assertThrows(IllegalArgumentException.class, () -> c.setValidationFraction(1.0));
    }

    @Test
    @Order(1)
    void labelsThatAreNotClassIndexesFailTheFitNamingTheColumn(@TempDir Path dir) {
        Dataset<Row> halves = train.withColumn("label", train.col("label").divide(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> classifier(dir).fit(halves));
        assertTrue(e.getMessage().contains("labelCol 'label'"), e.getMessage());
    }

    @Test
    @Order(1)
    void theDefaultsAreTheShippedConfigurationDefaults() {
        LstmClassifier c = new LstmClassifier();
        assertArrayEquals(new int[] {64}, c.getHiddenUnits());
        assertEquals(10, c.getEpochs());
        assertEquals(0.001, c.getLearningRate());
        assertEquals(32, c.getMinibatchSize());
        assertEquals(12345L, c.getSeed());
        assertEquals("lstm", c.getCellType());
    }

    /**
     * A SQL stage renames the label before the estimator; 2-fold cross-validation over two learning rates, one too
     * small to learn in a few epochs, must pick the other, and the saved best pipeline must score as it did.
     */
    @Test
    @Order(2)
    void crossValidationOverAPipelinePicksTheLearningRateThatLearnsAndItsPipelineSavesAndLoads(@TempDir Path dir)
            throws IOException {
        SQLTransformer rename = new SQLTransformer().setStatement("SELECT id, features, label AS class FROM __THIS__");
        LstmClassifier lstm = classifier(dir.resolve("tmp")).setLabelCol("class").setEpochs(3);
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {rename, lstm});
        ParamMap[] grid = new ParamGridBuilder().addGrid(lstm.learningRate(), new double[] {0.02, 1e-6}).build();
        CrossValidator selection = new CrossValidator().setEstimator(pipeline).setEstimatorParamMaps(grid)
                .setEvaluator(new MulticlassClassificationEvaluator().setLabelCol("class").setMetricName("accuracy"))
                .setNumFolds(2).setSeed(3L);
        CrossValidatorModel selected = selection.fit(train);

        double[] metrics = selected.avgMetrics();
        assertTrue(metrics[0] > metrics[1] + 0.2, Arrays.toString(metrics));
        PipelineModel best = (PipelineModel) selected.bestModel();
        LstmClassificationModel fitted = (LstmClassificationModel) best.stages()[1];
        assertEquals(0.02, fitted.bundle().info().spec().learningRate(), 1e-12);
        double accuracy = accuracy(best.transform(test), "class");
        assertTrue(accuracy >= 0.5, "accuracy " + accuracy);

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
        assertEquals(3, reloaded.getEpochs());
    }

    /**
     * A train/validation split over the same two learning rates on the estimator alone, on a third of the rows: the
     * candidate with the better validation metric is the one refitted.
     */
    @Test
    @Order(2)
    void trainValidationSplitRefitsTheCandidateWithTheBetterValidationMetric(@TempDir Path dir) {
        LstmClassifier lstm = classifier(dir).setEpochs(3);
        ParamMap[] grid = new ParamGridBuilder().addGrid(lstm.learningRate(), new double[] {1e-6, 0.02}).build();
        TrainValidationSplitModel selected = new TrainValidationSplit().setEstimator(lstm)
                .setEstimatorParamMaps(grid).setTrainRatio(0.75).setSeed(5L)
                .setEvaluator(new MulticlassClassificationEvaluator().setMetricName("accuracy"))
                .fit(train.filter("id % 3 = 0"));
        double[] metrics = selected.validationMetrics();
        assertTrue(metrics[1] > metrics[0], Arrays.toString(metrics));
        assertEquals(0.02, ((LstmClassificationModel) selected.bestModel()).bundle().info().spec().learningRate(),
                1e-12);
    }

    /**
     * JapaneseVowels: 12 channels a step as vectors, 7 to 29 steps (masked); the archive's own test file scored.
     * A held-out validation fraction gives each epoch validation metrics.
     */
    @Test
    @Order(2)
    void variableLengthMultichannelSequencesAsVectorsAreClassified(@TempDir Path dir) throws IOException {
        Dataset<Row> vowelsTrain = MlData.japaneseVowels("JapaneseVowels_TRAIN.ts");
        Dataset<Row> vowelsTest = MlData.japaneseVowels("JapaneseVowels_TEST.ts");
        LstmClassificationModel vowels = new LstmClassifier().setHiddenUnits(new int[] {32}).setLearningRate(0.01)
                .setEpochs(3).setMinibatchSize(16).setAveragingFrequency(3).setNumWorkers(2)
                .setValidationFraction(0.15).setKeepBest(false).setTempDir(dir.toUri().toString()).fit(vowelsTrain);
        assertEquals(12, vowels.numChannels());
        assertEquals(9, vowels.numClasses());
        assertEquals(3, vowels.summary().validationHistory("accuracy").length);
        double accuracy = accuracy(vowels.transform(vowelsTest), "label");
        // nine speakers: chance is 0.11
        assertTrue(accuracy >= 0.5, "accuracy " + accuracy);
    }

    /** A model saved by the ML writer is scored by {@code spark-lstm predict --model PATH} as by its transform. */
    @Test
    @Order(3)
    void predictScoresASavedModelLikeItsTransform(@TempDir Path dir) throws IOException {
        String saved = dir.resolve("model").toString();
        model.write().save(saved);
        List<Row> rows = test.orderBy("id").collectAsList();
        double transformAccuracy = model.transform(test).filter("prediction = label").count() / (double) rows.size();

        // the held-out rows as the .ts lines fit writes, the input predict reads for this model
        List<String> lines = new ArrayList<>(List.of(TsExport.header(1, 6).split("\n")));
        for (Row r : rows) lines.add(TsExport.line(RowFactory.create(r.get(1), r.getDouble(2)), "features", 1));
        Path input = dir.resolve("test.ts");
        Files.write(input, lines);
        Path out = dir.resolve("predictions");
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(err, true), "predict", "--model", saved, "--input", input.toString(),
                "--output", out.toString(), "--master", "local[2]");
        assertEquals(0, code, err.toString());
        JsonNode summary = Json.mapper().readTree(out.resolve("predict-summary.json").toFile());
        assertEquals(rows.size(), summary.get("casesScored").asInt());
        assertEquals(transformAccuracy, summary.get("accuracy").asDouble(), 1e-9, summary.toString());
        assertTrue(transformAccuracy > 0.5, "accuracy " + transformAccuracy);
    }
}
