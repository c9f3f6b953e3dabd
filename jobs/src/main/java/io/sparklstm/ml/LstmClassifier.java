package io.sparklstm.ml;

import io.sparklstm.jobs.config.ConfigException;
import io.sparklstm.jobs.config.JobConfig;
import io.sparklstm.jobs.spark.SparkSessions;
import io.sparklstm.jobs.train.TrainJob;
import io.sparklstm.prep.job.PrepareJob;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static io.sparklstm.ml.ConfigParams.DEFAULTS;

/**
 * A Spark ML {@code Estimator} of LSTM sequence classifiers. Each row holds one sequence ({@code featuresCol},
 * {@code array<array<double>>} of steps x channels or {@code array<vector>}; lengths may differ, shorter sequences
 * are masked) and its class index ({@code labelCol}, a double {@code 0 .. k-1}).
 *
 * <p>{@code fit} runs what the command line runs, not a second implementation: the rows are written as sktime
 * {@code .ts} files under {@code tempDir}, prepared by the {@code prepare} job ({@code dataset.kind = ts}) and trained
 * by the {@code train} job's training run (dl4j-spark parameter averaging on the executors), then the temporary
 * files are removed. The parameters are configuration keys by other names ({@code hiddenUnits} is
 * {@code model.layers}, ...; see each parameter's doc), with the defaults of {@code conf/defaults.conf}, checked by
 * the same rules: a bad value is refused when set, and the whole configuration is checked before any Spark job.
 */
public final class LstmClassifier extends Estimator<LstmClassificationModel> implements DefaultParamsWritable {

    private static final Logger LOG = LoggerFactory.getLogger(LstmClassifier.class);

    private final String uid;
    private final Param<String> featuresCol;
    private final Param<String> labelCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final Param<String> tempDir;
    private final IntArrayParam hiddenUnits;
    private final IntArrayParam denseUnits;
    private final Param<String> cellType;
    private final BooleanParam bidirectional;
    private final DoubleParam dropout;
    private final DoubleParam l2;
    private final Param<String> clipping;
    private final DoubleParam clipThreshold;
    private final Param<String> updater;
    private final DoubleParam learningRate;
    private final DoubleParam learningRateDecay;
    private final IntParam tbpttSteps;
    private final Param<String> kernel;
    private final LongParam seed;
    private final IntParam epochs;
    private final IntParam minibatchSize;
    private final IntParam batchSizePerWorker;
    private final IntParam averagingFrequency;
    private final IntParam numWorkers;
    private final BooleanParam keepBest;
    private final IntParam earlyStoppingPatience;
    private final DoubleParam earlyStoppingMinDelta;
    private final Param<String> earlyStoppingMetric;
    private final Param<String> perSequence;
    private final BooleanParam sequenceStats;
    private final BooleanParam normalize;
    private final DoubleParam validationFraction;

    public LstmClassifier() {
        this(Identifiable$.MODULE$.randomUID("lstmClassifier"));
    }

    public LstmClassifier(String uid) {
        this.uid = uid;
        featuresCol = ColumnParams.featuresCol(this);
        labelCol = ColumnParams.labelCol(this);
        predictionCol = ColumnParams.predictionCol(this);
        probabilityCol = ColumnParams.probabilityCol(this);
        ColumnParams.setDefaults(this, featuresCol, labelCol, predictionCol, probabilityCol);
        tempDir = new Param<>(this, "tempDir", "directory on a filesystem every executor reads (hdfs://, s3a://, "
                + "file:// in local mode) under which fit writes the rows and the prepared dataset, removed when "
                + "fit ends; empty: /tmp/spark-lstm-ml on the default filesystem");
        setDefault(tempDir, "");
        hiddenUnits = new IntArrayParam(this, "hiddenUnits", ConfigParams.keyDoc("model.layers"), v -> ConfigParams.accepts("hiddenUnits", v));
        setDefault(hiddenUnits, ints("model.layers"));
        denseUnits = new IntArrayParam(this, "denseUnits", ConfigParams.keyDoc("model.denseLayers"), v -> ConfigParams.accepts("denseUnits", v));
        setDefault(denseUnits, ints("model.denseLayers"));
        cellType = new Param<>(this, "cellType", "lstm (DL4J LSTM) or peephole (GravesLSTM) (model.cell)", v -> ConfigParams.accepts("cellType", v));
        setDefault(cellType, DEFAULTS.getString("model.cell"));
        bidirectional = new BooleanParam(this, "bidirectional", ConfigParams.keyDoc("model.bidirectional"));
        setDefault(bidirectional, DEFAULTS.getBoolean("model.bidirectional"));
        dropout = new DoubleParam(this, "dropout", ConfigParams.keyDoc("model.dropout"), v -> ConfigParams.accepts("dropout", v));
        setDefault(dropout, DEFAULTS.getDouble("model.dropout"));
        l2 = new DoubleParam(this, "l2", ConfigParams.keyDoc("model.l2"), v -> ConfigParams.accepts("l2", v));
        setDefault(l2, DEFAULTS.getDouble("model.l2"));
        clipping = new Param<>(this, "clipping", "gradient clipping: none, value or norm (model.clipping)", v -> ConfigParams.accepts("clipping", v));
        setDefault(clipping, DEFAULTS.getString("model.clipping"));
        clipThreshold = new DoubleParam(this, "clipThreshold", ConfigParams.keyDoc("model.clipThreshold"), v -> ConfigParams.accepts("clipThreshold", v));
        setDefault(clipThreshold, DEFAULTS.getDouble("model.clipThreshold"));
        updater = new Param<>(this, "updater", "adam, nadam, rmsprop or sgd (model.updater)", v -> ConfigParams.accepts("updater", v));
        setDefault(updater, DEFAULTS.getString("model.updater"));
        learningRate = new DoubleParam(this, "learningRate", ConfigParams.keyDoc("model.learningRate"), v -> ConfigParams.accepts("learningRate", v));
        setDefault(learningRate, DEFAULTS.getDouble("model.learningRate"));
        learningRateDecay = new DoubleParam(this, "learningRateDecay", ConfigParams.keyDoc("model.lrDecayPerEpoch"), v -> ConfigParams.accepts("learningRateDecay", v));
        setDefault(learningRateDecay, DEFAULTS.getDouble("model.lrDecayPerEpoch"));
        tbpttSteps = new IntParam(this, "tbpttSteps", ConfigParams.keyDoc("model.tbpttSteps"), v -> ConfigParams.accepts("tbpttSteps", v));
        setDefault(tbpttSteps, DEFAULTS.getInt("model.tbpttSteps"));
        kernel = new Param<>(this, "kernel", "how LSTM layers compute: dl4j, fused or auto (model.kernel)", v -> ConfigParams.accepts("kernel", v));
        setDefault(kernel, DEFAULTS.getString("model.kernel"));
        seed = new LongParam(this, "seed", "seed of the network, the split and the order of the training examples (model.seed, prepare.seed)", v -> ConfigParams.accepts("seed", v));
        setDefault(seed, DEFAULTS.getLong("model.seed"));
        epochs = new IntParam(this, "epochs", ConfigParams.keyDoc("training.epochs"), v -> ConfigParams.accepts("epochs", v));
        setDefault(epochs, DEFAULTS.getInt("training.epochs"));
        minibatchSize = new IntParam(this, "minibatchSize", ConfigParams.keyDoc("prepare.minibatchSize"), v -> ConfigParams.accepts("minibatchSize", v));
        setDefault(minibatchSize, DEFAULTS.getInt("prepare.minibatchSize"));
        batchSizePerWorker = new IntParam(this, "batchSizePerWorker", ConfigParams.keyDoc("training.batchSizePerWorker"), v -> ConfigParams.accepts("batchSizePerWorker", v));
        setDefault(batchSizePerWorker, DEFAULTS.getInt("training.batchSizePerWorker"));
        averagingFrequency = new IntParam(this, "averagingFrequency", ConfigParams.keyDoc("training.averagingFrequency"), v -> ConfigParams.accepts("averagingFrequency", v));
        setDefault(averagingFrequency, DEFAULTS.getInt("training.averagingFrequency"));
        numWorkers = new IntParam(this, "numWorkers", ConfigParams.keyDoc("training.workers"), v -> ConfigParams.accepts("numWorkers", v));
        setDefault(numWorkers, DEFAULTS.getInt("training.workers"));
        keepBest = new BooleanParam(this, "keepBest", ConfigParams.keyDoc("training.keepBest"));
        setDefault(keepBest, DEFAULTS.getBoolean("training.keepBest"));
        earlyStoppingPatience = new IntParam(this, "earlyStoppingPatience", ConfigParams.keyDoc("training.earlyStopping.patience"), v -> ConfigParams.accepts("earlyStoppingPatience", v));
        setDefault(earlyStoppingPatience, DEFAULTS.getInt("training.earlyStopping.patience"));
        earlyStoppingMinDelta = new DoubleParam(this, "earlyStoppingMinDelta", ConfigParams.keyDoc("training.earlyStopping.minDelta"), v -> ConfigParams.accepts("earlyStoppingMinDelta", v));
        setDefault(earlyStoppingMinDelta, DEFAULTS.getDouble("training.earlyStopping.minDelta"));
        earlyStoppingMetric = new Param<>(this, "earlyStoppingMetric", "validation metric that selects the best epoch: loss, accuracy or f1; empty: loss (training.earlyStopping.metric)", v -> ConfigParams.accepts("earlyStoppingMetric", v));
        setDefault(earlyStoppingMetric, DEFAULTS.getString("training.earlyStopping.metric"));
        perSequence = new Param<>(this, "perSequence", "each sequence on its own before the normalizer: none, center or standardize (prepare.perSequence)", v -> ConfigParams.accepts("perSequence", v));
        setDefault(perSequence, DEFAULTS.getString("prepare.perSequence"));
        sequenceStats = new BooleanParam(this, "sequenceStats", ConfigParams.keyDoc("prepare.sequenceStats"));
        setDefault(sequenceStats, DEFAULTS.getBoolean("prepare.sequenceStats"));
        normalize = new BooleanParam(this, "normalize", ConfigParams.keyDoc("prepare.normalize"));
        setDefault(normalize, DEFAULTS.getBoolean("prepare.normalize"));
        validationFraction = new DoubleParam(this, "validationFraction", ConfigParams.keyDoc("split.fractions"), v -> ConfigParams.accepts("validationFraction", v));
        setDefault(validationFraction, 0.0);    }

    private static int[] ints(String key) {
        return DEFAULTS.getIntList(key).stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> featuresCol() {
        return featuresCol;
    }

    public Param<String> labelCol() {
        return labelCol;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    public Param<String> tempDir() {
        return tempDir;
    }

    public String getFeaturesCol() {
        return getOrDefault(featuresCol);
    }

    public String getLabelCol() {
        return getOrDefault(labelCol);
    }

    public String getPredictionCol() {
        return getOrDefault(predictionCol);
    }

    public String getProbabilityCol() {
        return getOrDefault(probabilityCol);
    }

    public String getTempDir() {
        return getOrDefault(tempDir);
    }

    public LstmClassifier setFeaturesCol(String value) {
        set(featuresCol, value);
        return this;
    }

    public LstmClassifier setLabelCol(String value) {
        set(labelCol, value);
        return this;
    }

    public LstmClassifier setPredictionCol(String value) {
        set(predictionCol, value);
        return this;
    }

    public LstmClassifier setProbabilityCol(String value) {
        set(probabilityCol, value);
        return this;
    }

    public LstmClassifier setTempDir(String value) {
        set(tempDir, value);
        return this;
    }

    public IntArrayParam hiddenUnits() {
        return hiddenUnits;
    }

    public int[] getHiddenUnits() {
        return (int[]) getOrDefault(hiddenUnits);
    }

    public LstmClassifier setHiddenUnits(int[] value) {
        set(hiddenUnits, value);
        return this;
    }

    public IntArrayParam denseUnits() {
        return denseUnits;
    }

    public int[] getDenseUnits() {
        return (int[]) getOrDefault(denseUnits);
    }

    public LstmClassifier setDenseUnits(int[] value) {
        set(denseUnits, value);
        return this;
    }

    public Param<String> cellType() {
        return cellType;
    }

    public String getCellType() {
        return (String) getOrDefault(cellType);
    }

    public LstmClassifier setCellType(String value) {
        set(cellType, value);
        return this;
    }

    public BooleanParam bidirectional() {
        return bidirectional;
    }

    public boolean getBidirectional() {
        return (Boolean) getOrDefault(bidirectional);
    }

    public LstmClassifier setBidirectional(boolean value) {
        set(bidirectional, value);
        return this;
    }

    public DoubleParam dropout() {
        return dropout;
    }

    public double getDropout() {
        return (Double) getOrDefault(dropout);
    }

    public LstmClassifier setDropout(double value) {
        set(dropout, value);
        return this;
    }

    public DoubleParam l2() {
        return l2;
    }

    public double getL2() {
        return (Double) getOrDefault(l2);
    }

    public LstmClassifier setL2(double value) {
        set(l2, value);
        return this;
    }

    public Param<String> clipping() {
        return clipping;
    }

    public String getClipping() {
        return (String) getOrDefault(clipping);
    }

    public LstmClassifier setClipping(String value) {
        set(clipping, value);
        return this;
    }

    public DoubleParam clipThreshold() {
        return clipThreshold;
    }

    public double getClipThreshold() {
        return (Double) getOrDefault(clipThreshold);
    }

    public LstmClassifier setClipThreshold(double value) {
        set(clipThreshold, value);
        return this;
    }

    public Param<String> updater() {
        return updater;
    }

    public String getUpdater() {
        return (String) getOrDefault(updater);
    }

    public LstmClassifier setUpdater(String value) {
        set(updater, value);
        return this;
    }

    public DoubleParam learningRate() {
        return learningRate;
    }

    public double getLearningRate() {
        return (Double) getOrDefault(learningRate);
    }

    public LstmClassifier setLearningRate(double value) {
        set(learningRate, value);
        return this;
    }

    public DoubleParam learningRateDecay() {
        return learningRateDecay;
    }

    public double getLearningRateDecay() {
        return (Double) getOrDefault(learningRateDecay);
    }

    public LstmClassifier setLearningRateDecay(double value) {
        set(learningRateDecay, value);
        return this;
    }

    public IntParam tbpttSteps() {
        return tbpttSteps;
    }

    public int getTbpttSteps() {
        return (Integer) getOrDefault(tbpttSteps);
    }

    public LstmClassifier setTbpttSteps(int value) {
        set(tbpttSteps, value);
        return this;
    }

    public Param<String> kernel() {
        return kernel;
    }

    public String getKernel() {
        return (String) getOrDefault(kernel);
    }

    public LstmClassifier setKernel(String value) {
        set(kernel, value);
        return this;
    }

    public LongParam seed() {
        return seed;
    }

    public long getSeed() {
        return (Long) getOrDefault(seed);
    }

    public LstmClassifier setSeed(long value) {
        set(seed, value);
        return this;
    }

    public IntParam epochs() {
        return epochs;
    }

    public int getEpochs() {
        return (Integer) getOrDefault(epochs);
    }

    public LstmClassifier setEpochs(int value) {
        set(epochs, value);
        return this;
    }

    public IntParam minibatchSize() {
        return minibatchSize;
    }

    public int getMinibatchSize() {
        return (Integer) getOrDefault(minibatchSize);
    }

    public LstmClassifier setMinibatchSize(int value) {
        set(minibatchSize, value);
        return this;
    }

    public IntParam batchSizePerWorker() {
        return batchSizePerWorker;
    }

    public int getBatchSizePerWorker() {
        return (Integer) getOrDefault(batchSizePerWorker);
    }

    public LstmClassifier setBatchSizePerWorker(int value) {
        set(batchSizePerWorker, value);
        return this;
    }

    public IntParam averagingFrequency() {
        return averagingFrequency;
    }

    public int getAveragingFrequency() {
        return (Integer) getOrDefault(averagingFrequency);
    }

    public LstmClassifier setAveragingFrequency(int value) {
        set(averagingFrequency, value);
        return this;
    }

    public IntParam numWorkers() {
        return numWorkers;
    }

    public int getNumWorkers() {
        return (Integer) getOrDefault(numWorkers);
    }

    public LstmClassifier setNumWorkers(int value) {
        set(numWorkers, value);
        return this;
    }

    public BooleanParam keepBest() {
        return keepBest;
    }

    public boolean getKeepBest() {
        return (Boolean) getOrDefault(keepBest);
    }

    public LstmClassifier setKeepBest(boolean value) {
        set(keepBest, value);
        return this;
    }

    public IntParam earlyStoppingPatience() {
        return earlyStoppingPatience;
    }

    public int getEarlyStoppingPatience() {
        return (Integer) getOrDefault(earlyStoppingPatience);
    }

    public LstmClassifier setEarlyStoppingPatience(int value) {
        set(earlyStoppingPatience, value);
        return this;
    }

    public DoubleParam earlyStoppingMinDelta() {
        return earlyStoppingMinDelta;
    }

    public double getEarlyStoppingMinDelta() {
        return (Double) getOrDefault(earlyStoppingMinDelta);
    }

    public LstmClassifier setEarlyStoppingMinDelta(double value) {
        set(earlyStoppingMinDelta, value);
        return this;
    }

    public Param<String> earlyStoppingMetric() {
        return earlyStoppingMetric;
    }

    public String getEarlyStoppingMetric() {
        return (String) getOrDefault(earlyStoppingMetric);
    }

    public LstmClassifier setEarlyStoppingMetric(String value) {
        set(earlyStoppingMetric, value);
        return this;
    }

    public Param<String> perSequence() {
        return perSequence;
    }

    public String getPerSequence() {
        return (String) getOrDefault(perSequence);
    }

    public LstmClassifier setPerSequence(String value) {
        set(perSequence, value);
        return this;
    }

    public BooleanParam sequenceStats() {
        return sequenceStats;
    }

    public boolean getSequenceStats() {
        return (Boolean) getOrDefault(sequenceStats);
    }

    public LstmClassifier setSequenceStats(boolean value) {
        set(sequenceStats, value);
        return this;
    }

    public BooleanParam normalize() {
        return normalize;
    }

    public boolean getNormalize() {
        return (Boolean) getOrDefault(normalize);
    }

    public LstmClassifier setNormalize(boolean value) {
        set(normalize, value);
        return this;
    }

    public DoubleParam validationFraction() {
        return validationFraction;
    }

    public double getValidationFraction() {
        return (Double) getOrDefault(validationFraction);
    }

    public LstmClassifier setValidationFraction(double value) {
        set(validationFraction, value);
        return this;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        SequenceColumn.require(schema, getFeaturesCol(), uid);
        String label = getLabelCol();
        if (!List.of(schema.fieldNames()).contains(label)
                || !(schema.apply(label).dataType() instanceof NumericType)) {
            throw new IllegalArgumentException(uid + ": labelCol '" + label + "' must be a numeric column of class "
                    + "indexes (columns: " + String.join(", ", schema.fieldNames()) + ")");
        }
        for (String out : List.of(getPredictionCol(), getProbabilityCol())) {
            if (List.of(schema.fieldNames()).contains(out)) {
                throw new IllegalArgumentException(uid + ": output column '" + out + "' already exists");
            }
        }
        return schema.add(getPredictionCol(), org.apache.spark.sql.types.DataTypes.DoubleType, false)
                .add(getProbabilityCol(), org.apache.spark.ml.linalg.SQLDataTypes.VectorType(), false);
    }

    /** The parameters that reach the configuration, by name, as set or defaulted. */
    private Map<String, Object> configParams() {
        Map<String, Object> values = new LinkedHashMap<>();
        for (ConfigParams.Mapping m : ConfigParams.MAPPINGS) values.put(m.param(), getOrDefault(getParam(m.param())));
        return values;
    }

    /** The checked configuration of a fit reading {@code inputPath}; bad values named by parameter and key. */
    JobConfig config(String inputPath) {
        Map<String, Object> keys = ConfigParams.keys(configParams());
        keys.putAll(ConfigParams.fixed(inputPath));
        try {
            return ConfigParams.config(keys);
        } catch (ConfigException e) {
            String involved = ConfigParams.MAPPINGS.stream()
                    .filter(m -> m.keys().stream().anyMatch(k -> e.getMessage().contains(k)))
                    .map(m -> m.param() + " sets " + String.join(" and ", m.keys()))
                    .collect(Collectors.joining("; "));
            throw new IllegalArgumentException(uid + ": invalid parameters: " + e.getMessage()
                    + (involved.isEmpty() ? "" : " (" + involved + ")"), e);
        }
    }

    @Override
    public LstmClassificationModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema(), true);
        config("placeholder"); // every parameter checked before any Spark job
        // dl4j-spark's statistics default to an NTP clock, which fails offline (DESIGN.md)
        System.setProperty(SparkSessions.TIME_SOURCE_PROPERTY,
                System.getProperty(SparkSessions.TIME_SOURCE_PROPERTY, SparkSessions.SYSTEM_CLOCK));
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
        Configuration hadoop = sc.hadoopConfiguration();
        Path work = FitDirectory.create(getTempDir(), uid, hadoop);
        try {
            TsExport.Written cases = TsExport.write(dataset, getFeaturesCol(), getLabelCol(), new Path(work, "cases"),
                    hadoop, uid);
            LOG.info("{}: {} classes, {} channels; rows written as {}", uid, cases.classes(), cases.channels(),
                    cases.pattern());
            JobConfig config = config(cases.pattern());
            String data = new Path(work, "data").toString();
            String run = new Path(work, "run").toString();
            PrepareJob.run(sc, config.prepare(), data, false, config.prepareSettings());
            TrainJob.Result result = TrainJob.run(sc, config, data, run, false);
            LstmTrainingSummary summary = LstmTrainingSummary.read(result.runDir(), hadoop, result.summary());
            LstmClassificationModel model = new LstmClassificationModel(uid, result.bundle(), Optional.of(summary));
            return copyValues(model, ParamMap.empty()).setParent(this);
        } finally {
            FitDirectory.delete(work, hadoop);
        }
    }

    @Override
    public LstmClassifier copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<LstmClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static LstmClassifier load(String path) {
        return read().load(path);
    }
}
