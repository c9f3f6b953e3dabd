package io.sparklstm.ml;

import io.sparklstm.model.bundle.ModelBundle;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An LSTM forecaster of long-format time series: one row per (entity, timestamp) with numeric feature columns,
 * some of them forecast targets. {@code fit} writes the rows as Parquet under {@code tempDir}
 * ({@code dataset.kind = timeseries}, {@code input.format = parquet}) and runs the command line's {@code prepare}
 * and {@code train} jobs on them: windowing, frequency and gap handling, duplicates, target offsets, splits and the
 * naive baselines are theirs. Every parameter but the output columns and {@code tempDir} is a configuration key by
 * another name (each parameter's doc names its key), with the key's default and check.
 */
public final class LstmForecaster extends LstmEstimator<LstmForecastModel, LstmForecaster> {

    private static final Logger LOG = LoggerFactory.getLogger(LstmForecaster.class);

    private final Param<String> timestampCol;
    private final Param<String> timestampFormat;
    private final Param<String> entityCol;
    private final StringArrayParam featureCols;
    private final StringArrayParam categoricalCols;
    private final Param<String> unseenCategory;
    private final StringArrayParam targetCols;
    private final IntParam windowSteps;
    private final IntParam horizonSteps;
    private final IntParam strideSteps;
    private final Param<String> targetOffset;
    private final Param<String> season;
    private final Param<String> frequency;
    private final Param<String> duplicates;
    private final Param<String> missing;
    private final BooleanParam shrinkToNaive;
    private final Param<String> forecastCol;
    private final Param<String> predictionCol;
    private final Param<String> predictionTarget;
    private final IntParam predictionStep;

    public LstmForecaster() {
        this(Identifiable$.MODULE$.randomUID("lstmForecaster"));
    }

    public LstmForecaster(String uid) {
        super(uid, ConfigParams.FORECASTER);
        timestampCol = keyParam("timestampCol");
        timestampFormat = keyParam("timestampFormat");
        entityCol = keyParam("entityCol");
        featureCols = keyParam("featureCols");
        categoricalCols = keyParam("categoricalCols");
        unseenCategory = keyParam("unseenCategory");
        targetCols = keyParam("targetCols");
        windowSteps = keyParam("windowSteps");
        horizonSteps = keyParam("horizonSteps");
        strideSteps = keyParam("strideSteps");
        targetOffset = keyParam("targetOffset");
        season = keyParam("season");
        frequency = keyParam("frequency");
        duplicates = keyParam("duplicates");
        missing = keyParam("missing");
        shrinkToNaive = keyParam("shrinkToNaive");
        forecastCol = ForecastColumns.forecastCol(this);
        predictionCol = ForecastColumns.predictionCol(this);
        predictionTarget = ForecastColumns.predictionTarget(this);
        predictionStep = ForecastColumns.predictionStep(this);
        ForecastColumns.setOutputDefaults(this, forecastCol, predictionCol, predictionTarget, predictionStep);
    }

    // Spark finds a stage's parameters through public no-argument methods returning them
    public Param<String> timestampCol() { return timestampCol; }
    public Param<String> timestampFormat() { return timestampFormat; }
    public Param<String> entityCol() { return entityCol; }
    public StringArrayParam featureCols() { return featureCols; }
    public StringArrayParam categoricalCols() { return categoricalCols; }
    public Param<String> unseenCategory() { return unseenCategory; }
    public StringArrayParam targetCols() { return targetCols; }
    public IntParam windowSteps() { return windowSteps; }
    public IntParam horizonSteps() { return horizonSteps; }
    public IntParam strideSteps() { return strideSteps; }
    public Param<String> targetOffset() { return targetOffset; }
    public Param<String> season() { return season; }
    public Param<String> frequency() { return frequency; }
    public Param<String> duplicates() { return duplicates; }
    public Param<String> missing() { return missing; }
    public BooleanParam shrinkToNaive() { return shrinkToNaive; }
    public Param<String> forecastCol() { return forecastCol; }
    public Param<String> predictionCol() { return predictionCol; }
    public Param<String> predictionTarget() { return predictionTarget; }
    public IntParam predictionStep() { return predictionStep; }

    public String getTimestampCol() { return getOrDefault(timestampCol); }
    public String getTimestampFormat() { return getOrDefault(timestampFormat); }
    public String getEntityCol() { return getOrDefault(entityCol); }
    public String[] getFeatureCols() { return getOrDefault(featureCols); }
    public String[] getCategoricalCols() { return getOrDefault(categoricalCols); }
    public String getUnseenCategory() { return getOrDefault(unseenCategory); }
    public String[] getTargetCols() { return getOrDefault(targetCols); }
    public int getWindowSteps() { return (Integer) getOrDefault(windowSteps); }
    public int getHorizonSteps() { return (Integer) getOrDefault(horizonSteps); }
    public int getStrideSteps() { return (Integer) getOrDefault(strideSteps); }
    public String getTargetOffset() { return getOrDefault(targetOffset); }
    public String getSeason() { return getOrDefault(season); }
    public String getFrequency() { return getOrDefault(frequency); }
    public String getDuplicates() { return getOrDefault(duplicates); }
    public String getMissing() { return getOrDefault(missing); }
    public boolean getShrinkToNaive() { return (Boolean) getOrDefault(shrinkToNaive); }
    public String getForecastCol() { return getOrDefault(forecastCol); }
    public String getPredictionCol() { return getOrDefault(predictionCol); }
    public String getPredictionTarget() { return getOrDefault(predictionTarget); }
    public int getPredictionStep() { return (Integer) getOrDefault(predictionStep); }

    public LstmForecaster setTimestampCol(String v) { return with(timestampCol, v); }
    public LstmForecaster setTimestampFormat(String v) { return with(timestampFormat, v); }
    public LstmForecaster setEntityCol(String v) { return with(entityCol, v); }
    public LstmForecaster setFeatureCols(String[] v) { return with(featureCols, v); }
    public LstmForecaster setCategoricalCols(String[] v) { return with(categoricalCols, v); }
    public LstmForecaster setUnseenCategory(String v) { return with(unseenCategory, v); }
    public LstmForecaster setTargetCols(String[] v) { return with(targetCols, v); }
    public LstmForecaster setWindowSteps(int v) { return with(windowSteps, v); }
    public LstmForecaster setHorizonSteps(int v) { return with(horizonSteps, v); }
    public LstmForecaster setStrideSteps(int v) { return with(strideSteps, v); }
    public LstmForecaster setTargetOffset(String v) { return with(targetOffset, v); }
    public LstmForecaster setSeason(String v) { return with(season, v); }
    public LstmForecaster setFrequency(String v) { return with(frequency, v); }
    public LstmForecaster setDuplicates(String v) { return with(duplicates, v); }
    public LstmForecaster setMissing(String v) { return with(missing, v); }
    public LstmForecaster setShrinkToNaive(boolean v) { return with(shrinkToNaive, v); }
    public LstmForecaster setForecastCol(String v) { return with(forecastCol, v); }
    public LstmForecaster setPredictionCol(String v) { return with(predictionCol, v); }
    public LstmForecaster setPredictionTarget(String v) { return with(predictionTarget, v); }
    public LstmForecaster setPredictionStep(int v) { return with(predictionStep, v); }

    @Override
    public StructType transformSchema(StructType schema) {
        List<String> names = Arrays.asList(schema.fieldNames());
        for (String c : columnsRead()) {
            if (!names.contains(c)) throw new IllegalArgumentException(uid() + ": no column '" + c + "' in " + names);
        }
        List<String> targets = List.of(getTargetCols());
        String target = getPredictionTarget();
        if (!target.isEmpty() && !targets.isEmpty() && !targets.contains(target)) {
            throw new IllegalArgumentException(uid() + ": predictionTarget '" + target + "' is not one of targetCols "
                    + targets);
        }
        if (getPredictionStep() > getHorizonSteps()) {
            throw new IllegalArgumentException(uid() + ": predictionStep " + getPredictionStep() + " is after "
                    + "horizonSteps " + getHorizonSteps());
        }
        return ForecastColumns.withOutputs(schema, getForecastCol(), getPredictionCol(), uid());
    }

    /** Timestamp, entity (when there is one), the features and the categorical columns. */
    private List<String> columnsRead() {
        List<String> columns = new ArrayList<>(List.of(getTimestampCol()));
        if (!getEntityCol().isEmpty()) columns.add(getEntityCol());
        columns.addAll(List.of(getFeatureCols()));
        columns.addAll(List.of(getCategoricalCols()));
        return columns;
    }

    /**
     * The columns the timeseries kind reads (every column when featureCols is empty), ordered by (entity, time) so
     * that the files in name order are in order; returns the Parquet directory.
     */
    @Override
    String writeRows(Dataset<?> dataset, Path work, Configuration hadoop) {
        Dataset<Row> df = dataset.toDF();
        List<Column> order = new ArrayList<>();
        if (!getEntityCol().isEmpty()) order.add(functions.col(getEntityCol()));
        order.add(functions.col(getTimestampCol()));
        Dataset<Row> written = getFeatureCols().length == 0 ? df
                : df.select(columnsRead().stream().map(functions::col).toArray(Column[]::new));
        String rows = new Path(work, "rows").toString();
        written.orderBy(order.toArray(new Column[0])).write().parquet(rows);
        LOG.info("{}: rows written at {}", uid(), rows);
        return rows;
    }

    @Override
    LstmForecastModel model(ModelBundle bundle, LstmTrainingSummary summary) {
        return new LstmForecastModel(uid(), bundle, Optional.of(summary));
    }

    public static MLReader<LstmForecaster> read() {
        return new DefaultParamsReader<>();
    }

    public static LstmForecaster load(String path) {
        return read().load(path);
    }
}
