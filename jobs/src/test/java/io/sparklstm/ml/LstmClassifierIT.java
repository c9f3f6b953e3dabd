package io.sparklstm.ml;

import io.sparklstm.jobs.registry.ModelLocation;
import io.sparklstm.model.bundle.ModelBundle;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The estimator end to end on real local Spark and the shipped data: fit, transform, save and load. */
class LstmClassifierIT {

    @AfterAll
    static void stopSpark() {
        MlData.stop();
    }

    private static final int EPOCHS = 8;

    @TempDir
    static Path shared;
    private static Dataset<Row> train;
    private static Dataset<Row> test;
    private static LstmClassificationModel model;

    /** Settings as conf/datasets/synthetic-control.conf, with a smaller network and few epochs. */
    static LstmClassifier classifier(Path tempDir) {
        return new LstmClassifier().setHiddenUnits(new int[] {32}).setLearningRate(0.01).setEpochs(EPOCHS)
                .setMinibatchSize(16).setAveragingFrequency(3).setNumWorkers(2).setPerSequence("standardize")
                .setSequenceStats(true).setSeed(7L).setTempDir(tempDir.toUri().toString());
    }

    @BeforeAll
    static void fitOnce() throws IOException {
        Dataset<Row> all = MlData.syntheticControl(1); // 450 sequences to fit, 150 held out
        train = all.filter("id % 4 != 0").cache();
        test = all.filter("id % 4 = 0").cache();
        model = classifier(shared.resolve("tmp")).fit(train);
    }

    private static double accuracy(Dataset<Row> scored) {
        return new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(scored);
    }

    @Test
    void aFittedModelClassifiesHeldOutSequencesFarAboveChance() {
        Dataset<Row> scored = model.transform(test);
        assertEquals(test.count(), scored.count());
        double accuracy = accuracy(scored);
        // six classes: chance is 0.17, an untrained or constant model at most 0.25 on this balanced slice
        assertTrue(accuracy >= 0.85, "accuracy " + accuracy);
        Row first = scored.select("probability").first();
        double[] p = ((org.apache.spark.ml.linalg.Vector) first.get(0)).toArray();
        assertEquals(6, p.length);
        assertEquals(1.0, java.util.Arrays.stream(p).sum(), 1e-5);
    }

    @Test
    void theSummaryHasOneRecordPerEpochAndTheLossFalls() {
        LstmTrainingSummary summary = model.summary();
        assertEquals(EPOCHS, summary.totalEpochs());
        double[] loss = summary.objectiveHistory();
        assertTrue(loss[EPOCHS - 1] < loss[0] / 2, java.util.Arrays.toString(loss));
        assertTrue(summary.finalMetrics().containsKey("train"));
        assertEquals(0, summary.validationHistory("accuracy").length, "no validation split by default");
    }

    @Test
    void fitLeavesNothingInItsTemporaryDirectory() throws IOException {
        try (var left = Files.list(shared.resolve("tmp"))) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void aSavedModelLoadsScoresTheSameAndIsABundleTheCommandLineReads(@TempDir Path dir) throws IOException {
        String path = dir.resolve("model").toString();
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
    void aBadParameterValueIsRefusedWhenSet() {
        LstmClassifier c = new LstmClassifier();
        assertThrows(IllegalArgumentException.class, () -> c.setHiddenUnits(new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> c.setCellType("gru"));
        assertThrows(IllegalArgumentException.class, () -> c.setEpochs(0));
        assertThrows(IllegalArgumentException.class, () -> c.setValidationFraction(1.0));
    }

    @Test
    void labelsThatAreNotClassIndexesFailTheFitNamingTheColumn(@TempDir Path dir) {
        Dataset<Row> halves = train.withColumn("label", train.col("label").divide(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> classifier(dir).fit(halves));
        assertTrue(e.getMessage().contains("labelCol 'label'"), e.getMessage());
    }

    @Test
    void theDefaultsAreTheShippedConfigurationDefaults() {
        LstmClassifier c = new LstmClassifier();
        assertArrayEquals(new int[] {64}, c.getHiddenUnits());
        assertEquals(10, c.getEpochs());
        assertEquals(0.001, c.getLearningRate());
        assertEquals(32, c.getMinibatchSize());
        assertEquals(12345L, c.getSeed());
        assertEquals("lstm", c.getCellType());
    }
}
