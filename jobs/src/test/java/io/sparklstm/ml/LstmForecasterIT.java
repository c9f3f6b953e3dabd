package io.sparklstm.ml;

import io.sparklstm.jobs.cli.Main;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.sql.expressions.Window;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The forecaster on an ETTh1 slice: fit, the forecast column, the same numbers as {@code spark-lstm predict},
 * persistence of the unfitted estimator, and cross-validation with Spark's RegressionEvaluator. The test that runs
 * {@code Main.execute} goes last: the command stops the session the tests share.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LstmForecasterIT {

    private static final String[] COLUMNS = {"HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL", "OT"};
    private static final int WINDOW = 24;
    private static final int HORIZON = 4;
    private static final int ROWS = 600;

    @AfterAll
    static void stopSpark() {
        MlData.stop();
    }

    /** The first {@code ROWS} hours of ETTh1: the date as text, the seven loads as doubles. */
    private static Dataset<Row> etth1() {
        Dataset<Row> raw = MlData.spark().read().option("header", "true")
                .csv(MlData.shipped("etth1/ETTh1.csv").toString()).limit(ROWS);
        Column[] columns = new Column[COLUMNS.length + 1];
        columns[0] = functions.col("date");
        for (int i = 0; i < COLUMNS.length; i++) columns[i + 1] = functions.col(COLUMNS[i]).cast("double").as(COLUMNS[i]);
        return raw.select(columns).cache();
    }

    @Test
    @Order(3)
    void forecastsAreHorizonByTargetsFromEachFullWindowAndEqualWhatPredictWrites(@TempDir Path dir) throws Exception {
        Dataset<Row> series = etth1();
        LstmForecastModel model = new LstmForecaster().setTimestampCol("date").setFeatureCols(COLUMNS)
                .setTargetCols(new String[] {"OT"}).setWindowSteps(WINDOW).setHorizonSteps(HORIZON)
                .setHiddenUnits(new int[] {16}).setEpochs(1).setMinibatchSize(32).setNumWorkers(2)
                .setLearningRate(0.01).setSeed(3L).setTempDir(dir.resolve("tmp").toUri().toString()).fit(series);
        assertEquals(1, model.summary().totalEpochs());
        assertEquals(List.of("OT"), model.targets());
        assertFalse(model.summary().finalMetrics().isEmpty());
        // the evaluation's naive baselines of each split, beside the model's own metrics
        Object baselines = model.summary().finalMetrics().get("train").get("baselines");
        assertTrue(baselines instanceof Map<?, ?> b && b.containsKey("persistence"), model.summary().finalMetrics().toString());

        List<Row> scored = model.transform(series).orderBy("date").select("date", "forecast").collectAsList();
        assertEquals(ROWS, scored.size());
        Map<String, double[][]> byTime = new HashMap<>();
        for (int i = 0; i < scored.size(); i++) {
            Row r = scored.get(i);
            if (i < WINDOW - 1) {
                assertNull(r.get(1), "row " + i + " ends no full window");
                continue;
            }
            double[][] forecast = forecast(r.getList(1));
            assertEquals(HORIZON, forecast.length);
            for (double[] step : forecast) assertEquals(1, step.length);
            byTime.put(r.getString(0), forecast);
        }

        // the same rows as a stream in two micro-batches of Spark's memory source: each entity's window carried
        // over in Spark's state
        String half = scored.get(ROWS / 2).getString(0);
        MemoryRows source = new MemoryRows(MlData.spark(), series.schema());
        source.add(series.filter(functions.col("date").lt(half)).orderBy("date").collectAsList());
        org.apache.spark.sql.streaming.StreamingQuery query = model.transform(source.toDF())
                .writeStream().format("memory").queryName("forecasts").outputMode("append").start();
        try {
            query.processAllAvailable();
            source.add(series.filter(functions.col("date").geq(half)).orderBy("date").collectAsList());
            query.processAllAvailable();
        } finally {
            query.stop();
        }
        List<Row> streamed = MlData.spark().table("forecasts").select("date", "forecast").collectAsList();
        assertEquals(ROWS, streamed.size());
        for (Row r : streamed) {
            double[][] batch = byTime.get(r.getString(0));
            if (batch == null) {
                assertNull(r.get(1), r.getString(0));
            } else {
                assertNotNull(r.get(1), "streamed no forecast from " + r.getString(0));
                assertTrue(java.util.Arrays.deepEquals(batch, forecast(r.getList(1))), r.getString(0));
            }
        }

        String saved = dir.resolve("model").toString();
        model.write().save(saved);
        LstmForecastModel loaded = LstmForecastModel.load(saved);
        assertEquals(model.uid(), loaded.uid());
        assertFalse(loaded.hasSummary());
        for (Row r : loaded.transform(series).select("date", "forecast").collectAsList()) {
            double[][] before = byTime.get(r.getString(0));
            assertTrue(before == null ? r.isNullAt(1) : java.util.Arrays.deepEquals(before, forecast(r.getList(1))),
                    "loaded model at " + r.getString(0));
        }
        String input = dir.resolve("input").toString();
        series.coalesce(1).write().parquet(input);
        Path out = dir.resolve("predictions");
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(err, true), "predict", "--model", saved, "--input", input,
                "--output", out.toString(), "--master", "local[2]");
        assertEquals(0, code, err.toString());
        List<Row> predicted = MlData.spark().read().parquet(out.resolve("predictions.parquet").toString())
                .select("timestamp", "step", "OT").collectAsList();
        assertEquals((ROWS - WINDOW + 1) * HORIZON, predicted.size());
        double largest = 0;
        for (Row p : predicted) {
            double[][] forecast = byTime.get(p.getString(0));
            assertNotNull(forecast, "predict forecast from " + p.getString(0) + ", transform did not");
            double difference = Math.abs(forecast[p.getInt(1) - 1][0] - p.getDouble(2));
            largest = Math.max(largest, difference);
        }
        // float32 network, a stepwise LSTM here and a whole-window pass in predict: OT is in the tens
        assertTrue(largest < 1e-3, "largest difference " + largest);
    }

    @Test
    @Order(1)
    void anUnfittedForecasterAndAPipelineHoldingItSaveAndLoadWithEveryParameter(@TempDir Path dir)
            throws java.io.IOException {
        MlData.spark();
        LstmForecaster forecaster = new LstmForecaster().setEntityCol("station").setTimestampCol("time")
                .setFeatureCols(new String[] {"load", "temp"}).setTargetCols(new String[] {"load"})
                .setWindowSteps(48).setHorizonSteps(6).setMissing("interpolate").setFrequency("1h")
                .setHiddenUnits(new int[] {16, 8}).setLearningRate(0.02).setSeed(9L).setValidationFraction(0.2)
                .setPredictionStep(2).setTempDir("file:///tmp/x");
        String path = dir.resolve("forecaster").toString();
        forecaster.write().save(path);
        assertSameParams(forecaster, LstmForecaster.load(path));

        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
                new SQLTransformer().setStatement("SELECT * FROM __THIS__"), forecaster});
        String pipelinePath = dir.resolve("pipeline").toString();
        pipeline.write().save(pipelinePath);
        PipelineStage[] stages = Pipeline.load(pipelinePath).getStages();
        assertEquals(2, stages.length);
        assertSameParams(forecaster, (LstmForecaster) stages[1]);
    }

    /**
     * A training set with a hole in time (what a random or block split of one series gives) is not trained on as if
     * the rows were consecutive: with the shipped timeseries.missing = fail the fit fails before training, naming
     * the gap and the settings that handle it.
     */
    @Test
    @Order(1)
    void aSeriesWithAHoleInTimeFailsTheFitNamingTheGapAndTheSettingsThatHandleIt(@TempDir Path dir) {
        Dataset<Row> series = etth1();
        List<Row> dates = series.orderBy("date").select("date").collectAsList();
        Dataset<Row> holed = series.filter(functions.col("date").lt(dates.get(200).getString(0))
                .or(functions.col("date").geq(dates.get(300).getString(0))));
        LstmForecaster forecaster = new LstmForecaster().setTimestampCol("date").setFeatureCols(COLUMNS)
                .setTargetCols(new String[] {"OT"}).setWindowSteps(WINDOW).setHorizonSteps(HORIZON).setEpochs(1)
                .setHiddenUnits(new int[] {4}).setTempDir(dir.resolve("tmp").toUri().toString());
        Exception e = assertThrows(Exception.class, () -> forecaster.fit(holed));
        String message = String.valueOf(e.getMessage());
        assertTrue(message.contains("100 missing step(s) of 1h") && message.contains("timeseries.missing.default"),
                message);
    }

    private static void assertSameParams(LstmForecaster saved, LstmForecaster loaded) {
        assertEquals(saved.uid(), loaded.uid());
        for (Param<?> p : saved.params()) {
            Param<?> q = loaded.getParam(p.name());
            assertEquals(saved.isSet(p), loaded.isSet(q), p.name());
            assertTrue(java.util.Arrays.deepEquals(new Object[] {saved.getOrDefault(p)},
                    new Object[] {loaded.getOrDefault(q)}), p.name() + ": " + loaded.getOrDefault(q));
        }
        assertEquals(48, loaded.getWindowSteps());
        assertEquals("interpolate", loaded.getMissing());
    }

    /**
     * Time series are not split at random rows: ETTh1's first 600 hours as four series of 150 hours, each its own
     * entity, and CrossValidator's foldCol puts whole series in a fold (blocks 0 and 2, 1 and 3), so no training set
     * has a hole in time. The label is OT four hours (the horizon) after the row, as a user adds it; a SQL stage
     * drops the rows without a forecast (the first 23 of a series) or without a label (its last 4), which Spark's
     * RegressionEvaluator cannot score.
     */
    @Test
    @Order(2)
    void crossValidationOverWholeSeriesPicksTheLowerRmseAndTheEvaluatorScoresTheForecastColumn(@TempDir Path dir) {
        org.apache.spark.sql.expressions.WindowSpec time = Window.orderBy("date");
        Dataset<Row> rows = etth1()
                .withColumn("block", functions.row_number().over(time).minus(1).divide(150).cast("int"))
                .withColumn("entity", functions.concat(functions.lit("b"), functions.col("block").cast("string")))
                .withColumn("fold", functions.col("block").mod(2))
                .withColumn("label", functions.lead("OT", HORIZON).over(Window.partitionBy("entity").orderBy("date")))
                .cache();
        LstmForecaster forecaster = new LstmForecaster().setEntityCol("entity").setTimestampCol("date")
                .setFeatureCols(COLUMNS).setTargetCols(new String[] {"OT"}).setWindowSteps(WINDOW)
                .setHorizonSteps(HORIZON).setEpochs(1).setMinibatchSize(32).setNumWorkers(2).setLearningRate(0.01)
                .setSeed(3L).setTempDir(dir.resolve("tmp").toUri().toString());
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {forecaster, new SQLTransformer()
                .setStatement("SELECT * FROM __THIS__ WHERE prediction IS NOT NULL AND label IS NOT NULL")});
        ParamMap[] grid = {new ParamMap().put(forecaster.hiddenUnits(), new int[] {4}),
                new ParamMap().put(forecaster.hiddenUnits(), new int[] {16})};
        RegressionEvaluator rmse = new RegressionEvaluator().setMetricName("rmse");
        CrossValidatorModel cv = new CrossValidator().setEstimator(pipeline).setEstimatorParamMaps(grid)
                .setEvaluator(rmse).setNumFolds(2).setFoldCol("fold").fit(rows);

        double[] metrics = cv.avgMetrics();
        assertEquals(2, metrics.length);
        int best = metrics[0] <= metrics[1] ? 0 : 1;
        LstmForecastModel model = (LstmForecastModel) ((PipelineModel) cv.bestModel()).stages()[0];
        assertEquals(List.of(best == 0 ? 4 : 16), model.bundle().info().spec().layers());

        Dataset<Row> scored = cv.bestModel().transform(rows).cache();
        double evaluated = rmse.evaluate(scored);
        List<Row> pairs = scored.select("forecast", "label", "prediction").collectAsList();
        assertEquals(4 * (150 - (WINDOW - 1) - HORIZON), pairs.size());
        double squares = 0;
        double labelSquares = 0;
        for (Row r : pairs) {
            double forecast = forecast(r.getList(0))[HORIZON - 1][0];
            assertEquals(forecast, r.getDouble(2), "prediction = the forecast's last step");
            squares += Math.pow(forecast - r.getDouble(1), 2);
            labelSquares += Math.pow(r.getDouble(1), 2);
        }
        assertEquals(Math.sqrt(squares / pairs.size()), evaluated, 1e-9 * evaluated);
        // OT is in the tens: forecasting zero would be wrong by about that much; the model (shrunk towards the naive
        // forecast) by far less
        double zero = Math.sqrt(labelSquares / pairs.size());
        for (double m : metrics) assertTrue(Double.isFinite(m) && m > 0 && m < zero / 2, Arrays.toString(metrics));
        assertTrue(evaluated < zero / 2, evaluated + " vs " + zero);
    }

    /** An {@code array<array<double>>} value as read back (Scala sequences inside a Java list), on both Scala lines. */
    static double[][] forecast(List<Object> steps) {
        double[][] f = new double[steps.size()][];
        for (int h = 0; h < f.length; h++) {
            scala.collection.Seq<?> step = (scala.collection.Seq<?>) steps.get(h);
            f[h] = new double[step.length()];
            for (int j = 0; j < f[h].length; j++) f[h][j] = ((Number) step.apply(j)).doubleValue();
        }
        return f;
    }
}
