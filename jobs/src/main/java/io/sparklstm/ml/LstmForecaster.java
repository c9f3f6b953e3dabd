package io.sparklstm.ml;

import io.sparklstm.jobs.config.ConfigException;
import io.sparklstm.jobs.config.JobConfig;
import io.sparklstm.jobs.spark.SparkSessions;
import io.sparklstm.jobs.train.TrainJob;
import io.sparklstm.model.ModelKeys;
import io.sparklstm.prep.job.PrepareJob;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.sparklstm.ml.ConfigParams.DEFAULTS;

/**
 * An LSTM forecaster of long-format time series: one row per (entity, timestamp) with numeric feature columns,
 * some of them forecast targets. {@code fit} writes the rows as Parquet under {@code tempDir}
 * ({@code dataset.kind = timeseries}, {@code input.format = parquet}) and runs the command line's {@code prepare}
 * and {@code train} jobs on them: windowing, gap filling, target offsets, splits and the naive baselines are theirs.
 * The parameters are {@code timeseries.*} and model/training keys by other names (see {@link #keys()}).
 */
public final class LstmForecaster extends Estimator<LstmForecastModel> {

    private static final Logger LOG = LoggerFactory.getLogger(LstmForecaster.class);

    private final String uid;
    final Param<String> entityCol;
    final Param<String> timestampCol;
    final Param<String> forecastCol;
    private final Param<String> timestampFormat;
    private final StringArrayParam featureCols;
    private final StringArrayParam targetCols;
    private final IntParam windowSteps;
    private final IntParam horizonSteps;
    private final Param<String> tempDir;
    private final IntArrayParam hiddenUnits;
    private final DoubleParam learningRate;
    private final IntParam epochs;
    private final IntParam minibatchSize;
    private final IntParam numWorkers;
    private final LongParam seed;

    public LstmForecaster() {
        this(Identifiable$.MODULE$.randomUID("lstmForecaster"));
    }

    public LstmForecaster(String uid) {
        this.uid = uid;
        entityCol = ForecastColumns.entityCol(this);
        timestampCol = ForecastColumns.timestampCol(this);
        forecastCol = ForecastColumns.forecastCol(this);
        ForecastColumns.setDefaults(this, entityCol, timestampCol, forecastCol);
        timestampFormat = new Param<>(this, "timestampFormat", "java.time pattern of a text timestamp column "
                + "(timeseries.timestampFormat)");
        setDefault(timestampFormat, DEFAULTS.getString("timeseries.timestampFormat"));
        featureCols = new StringArrayParam(this, "featureCols", "numeric input columns; empty: every column but the "
                + "timestamp and the entity (timeseries.featureColumns)");
        setDefault(featureCols, new String[0]);
        targetCols = new StringArrayParam(this, "targetCols", "forecast targets, a subset of the features; empty: "
                + "all of them (timeseries.targetColumns)");
        setDefault(targetCols, new String[0]);
        windowSteps = new IntParam(this, "windowSteps", ConfigParams.keyDoc("timeseries.windowSteps"));
        setDefault(windowSteps, DEFAULTS.getInt("timeseries.windowSteps"));
        horizonSteps = new IntParam(this, "horizonSteps", ConfigParams.keyDoc("timeseries.horizonSteps"));
        setDefault(horizonSteps, DEFAULTS.getInt("timeseries.horizonSteps"));
        tempDir = new Param<>(this, "tempDir", "directory on a filesystem every executor reads, under which fit "
                + "writes the rows and the prepared dataset, removed when fit ends; empty: /tmp/spark-lstm-ml on "
                + "the default filesystem");
        setDefault(tempDir, "");
        hiddenUnits = new IntArrayParam(this, "hiddenUnits", ConfigParams.keyDoc("model.layers"));
        setDefault(hiddenUnits, DEFAULTS.getIntList("model.layers").stream().mapToInt(Integer::intValue).toArray());
        learningRate = new DoubleParam(this, "learningRate", ConfigParams.keyDoc("model.learningRate"));
        setDefault(learningRate, DEFAULTS.getDouble("model.learningRate"));
        epochs = new IntParam(this, "epochs", ConfigParams.keyDoc("training.epochs"));
        setDefault(epochs, DEFAULTS.getInt("training.epochs"));
        minibatchSize = new IntParam(this, "minibatchSize", ConfigParams.keyDoc("prepare.minibatchSize"));
        setDefault(minibatchSize, DEFAULTS.getInt("prepare.minibatchSize"));
        numWorkers = new IntParam(this, "numWorkers", ConfigParams.keyDoc("training.workers"));
        setDefault(numWorkers, DEFAULTS.getInt("training.workers"));
        seed = new LongParam(this, "seed", "seed of the network and the order of the training windows "
                + "(model.seed, prepare.seed)");
        setDefault(seed, DEFAULTS.getLong("model.seed"));
    }

    @Override
    public String uid() {
        return uid;
    }

    // Spark finds a stage's parameters through public no-argument methods returning them
    public Param<String> entityCol() { return entityCol; }
    public Param<String> timestampCol() { return timestampCol; }
    public Param<String> forecastCol() { return forecastCol; }
    public Param<String> timestampFormat() { return timestampFormat; }
    public StringArrayParam featureCols() { return featureCols; }
    public StringArrayParam targetCols() { return targetCols; }
    public IntParam windowSteps() { return windowSteps; }
    public IntParam horizonSteps() { return horizonSteps; }
    public Param<String> tempDir() { return tempDir; }
    public IntArrayParam hiddenUnits() { return hiddenUnits; }
    public DoubleParam learningRate() { return learningRate; }
    public IntParam epochs() { return epochs; }
    public IntParam minibatchSize() { return minibatchSize; }
    public IntParam numWorkers() { return numWorkers; }
    public LongParam seed() { return seed; }

    public LstmForecaster setEntityCol(String v) { set(entityCol, v); return this; }
    public LstmForecaster setTimestampCol(String v) { set(timestampCol, v); return this; }
    public LstmForecaster setForecastCol(String v) { set(forecastCol, v); return this; }
    public LstmForecaster setTimestampFormat(String v) { set(timestampFormat, v); return this; }
    public LstmForecaster setFeatureCols(String[] v) { set(featureCols, v); return this; }
    public LstmForecaster setTargetCols(String[] v) { set(targetCols, v); return this; }
    public LstmForecaster setWindowSteps(int v) { set(windowSteps, v); return this; }
    public LstmForecaster setHorizonSteps(int v) { set(horizonSteps, v); return this; }
    public LstmForecaster setTempDir(String v) { set(tempDir, v); return this; }
    public LstmForecaster setHiddenUnits(int[] v) { set(hiddenUnits, v); return this; }
    public LstmForecaster setLearningRate(double v) { set(learningRate, v); return this; }
    public LstmForecaster setEpochs(int v) { set(epochs, v); return this; }
    public LstmForecaster setMinibatchSize(int v) { set(minibatchSize, v); return this; }
    public LstmForecaster setNumWorkers(int v) { set(numWorkers, v); return this; }
    public LstmForecaster setSeed(long v) { set(seed, v); return this; }

    public String getEntityCol() { return getOrDefault(entityCol); }
    public String getTimestampCol() { return getOrDefault(timestampCol); }
    public String[] getFeatureCols() { return getOrDefault(featureCols); }
    public String[] getTargetCols() { return getOrDefault(targetCols); }
    public int getWindowSteps() { return (Integer) getOrDefault(windowSteps); }
    public int getHorizonSteps() { return (Integer) getOrDefault(horizonSteps); }

    /** The configuration keys the parameters set (each parameter's doc names its key). */
    Map<String, Object> keys() {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("timeseries.entityColumn", getEntityCol());
        keys.put("timeseries.timestampColumn", getTimestampCol());
        keys.put("timeseries.timestampFormat", getOrDefault(timestampFormat));
        keys.put("timeseries.featureColumns", List.of(getFeatureCols()));
        keys.put("timeseries.targetColumns", List.of(getTargetCols()));
        keys.put("timeseries.windowSteps", getWindowSteps());
        keys.put("timeseries.horizonSteps", getHorizonSteps());
        keys.put("model.layers", getOrDefault(hiddenUnits));
        keys.put("model.learningRate", getOrDefault(learningRate));
        keys.put("training.epochs", getOrDefault(epochs));
        keys.put("prepare.minibatchSize", getOrDefault(minibatchSize));
        keys.put("training.workers", getOrDefault(numWorkers));
        keys.put("model.seed", getOrDefault(seed));
        keys.put("prepare.seed", getOrDefault(seed));
        return keys;
    }

    /** The checked configuration of a fit reading the Parquet rows at {@code inputPath}. */
    JobConfig config(String inputPath) {
        Map<String, Object> keys = keys();
        keys.put("dataset.kind", "timeseries");
        keys.put("input.format", "parquet");
        keys.put("input.path", inputPath);
        // the caller's DataFrame: a bad row fails the fit naming it; a library call has no terminal to draw on
        keys.put("input.onBadRecord", "fail");
        keys.put("training.progress", "never");
        JobConfig config;
        try {
            config = ConfigParams.config(keys);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(uid + ": invalid parameters: " + e.getMessage(), e);
        }
        if (config.model().isEnsemble()) {
            // the fitted model forecasts row by row through one network's step-by-step state (ForecastStream)
            throw new IllegalArgumentException(uid + ": invalid parameters: " + ModelKeys.ENSEMBLE_MEMBERS.key()
                    + " = " + config.model().ensembleMembers() + ": a forecaster's model forecasts step by step "
                    + "with one network; use 1");
        }
        return config;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        List<String> names = Arrays.asList(schema.fieldNames());
        List<String> needed = new ArrayList<>(List.of(getTimestampCol()));
        if (!getEntityCol().isEmpty()) needed.add(getEntityCol());
        needed.addAll(List.of(getFeatureCols()));
        for (String c : needed) {
            if (!names.contains(c)) throw new IllegalArgumentException(uid + ": no column '" + c + "' in " + names);
        }
        return ForecastColumns.withForecast(schema, getOrDefault(forecastCol), uid);
    }

    @Override
    public LstmForecastModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema(), true);
        config("placeholder"); // every parameter checked before any Spark job
        System.setProperty(SparkSessions.TIME_SOURCE_PROPERTY,
                System.getProperty(SparkSessions.TIME_SOURCE_PROPERTY, SparkSessions.SYSTEM_CLOCK));
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
        Configuration hadoop = sc.hadoopConfiguration();
        Path work = FitDirectory.create(getOrDefault(tempDir), uid, hadoop);
        try {
            String rows = new Path(work, "rows").toString();
            written(dataset.toDF()).write().parquet(rows);
            JobConfig config = config(rows);
            String data = new Path(work, "data").toString();
            String run = new Path(work, "run").toString();
            PrepareJob.run(sc, config.prepare(), data, false, config.prepareSettings());
            TrainJob.Result result = TrainJob.run(sc, config, data, run, false);
            LstmTrainingSummary summary = LstmTrainingSummary.read(result.runDir(), hadoop, result.summary());
            LOG.info("{}: fitted on the rows written at {}", uid, rows);
            LstmForecastModel model = new LstmForecastModel(uid, result.bundle(), Optional.of(summary));
            return copyValues(model, ParamMap.empty()).setParent(this);
        } finally {
            FitDirectory.delete(work, hadoop);
        }
    }

    /** The columns the timeseries kind reads, ordered by (entity, time) so that files in name order are in order. */
    private Dataset<Row> written(Dataset<Row> df) {
        List<Column> order = new ArrayList<>();
        if (!getEntityCol().isEmpty()) order.add(functions.col(getEntityCol()));
        order.add(functions.col(getTimestampCol()));
        if (getFeatureCols().length == 0) return df.orderBy(order.toArray(new Column[0]));
        List<Column> columns = new ArrayList<>(order);
        for (String f : getFeatureCols()) columns.add(functions.col(f));
        return df.select(columns.toArray(new Column[0])).orderBy(order.toArray(new Column[0]));
    }

    @Override
    public LstmForecaster copy(ParamMap extra) {
        return defaultCopy(extra);
    }
}
