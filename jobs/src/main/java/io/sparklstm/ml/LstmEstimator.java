package io.sparklstm.ml;

import io.sparklstm.jobs.config.JobConfig;
import io.sparklstm.jobs.spark.SparkSessions;
import io.sparklstm.jobs.train.TrainJob;
import io.sparklstm.model.bundle.ModelBundle;
import io.sparklstm.prep.job.PrepareJob;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.sql.Dataset;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What both LSTM estimators share: the model and training parameters (configuration keys by other names, made from
 * the keys' declared settings by {@link KeyParams}), {@code tempDir}, and {@code fit}: the rows written under a
 * directory of their own, then the command line's {@code prepare} job and {@code train} training run on them, the
 * directory removed at the end. A subclass says how its rows are written and which model it makes.
 *
 * @param <M> the fitted model
 * @param <E> the estimator itself, so that the setters chain ({@code new LstmClassifier().setEpochs(5)...})
 */
public abstract class LstmEstimator<M extends Model<M>, E extends LstmEstimator<M, E>> extends Estimator<M>
        implements DefaultParamsWritable {

    private final String uid;
    private final ConfigParams table;
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
    private final DoubleParam averagingSeconds;
    private final IntParam numWorkers;
    private final BooleanParam keepBest;
    private final IntParam earlyStoppingPatience;
    private final DoubleParam earlyStoppingMinDelta;
    private final Param<String> earlyStoppingMetric;
    private final BooleanParam normalize;
    private final DoubleParam validationFraction;

    LstmEstimator(String uid, ConfigParams table) {
        this.uid = uid;
        this.table = table;
        tempDir = new Param<>(this, "tempDir", "directory on a filesystem every executor reads (hdfs://, s3a://, "
                + "file:// in local mode) under which fit writes the rows and the prepared dataset, removed when "
                + "fit ends; empty: /tmp/spark-lstm-ml on the default filesystem");
        setDefault(tempDir, "");
        hiddenUnits = keyParam("hiddenUnits");
        denseUnits = keyParam("denseUnits");
        cellType = keyParam("cellType");
        bidirectional = keyParam("bidirectional");
        dropout = keyParam("dropout");
        l2 = keyParam("l2");
        clipping = keyParam("clipping");
        clipThreshold = keyParam("clipThreshold");
        updater = keyParam("updater");
        learningRate = keyParam("learningRate");
        learningRateDecay = keyParam("learningRateDecay");
        tbpttSteps = keyParam("tbpttSteps");
        kernel = keyParam("kernel");
        seed = keyParam("seed");
        epochs = keyParam("epochs");
        minibatchSize = keyParam("minibatchSize");
        batchSizePerWorker = keyParam("batchSizePerWorker");
        averagingFrequency = keyParam("averagingFrequency");
        averagingSeconds = keyParam("averagingSeconds");
        numWorkers = keyParam("numWorkers");
        keepBest = keyParam("keepBest");
        earlyStoppingPatience = keyParam("earlyStoppingPatience");
        earlyStoppingMinDelta = keyParam("earlyStoppingMinDelta");
        earlyStoppingMetric = keyParam("earlyStoppingMetric");
        normalize = keyParam("normalize");
        validationFraction = keyParam(ConfigParams.VALIDATION_FRACTION);
    }

    /** The parameter of a configuration key, made from its declared setting, its default set. */
    @SuppressWarnings("unchecked")
    final <P extends Param<?>> P keyParam(String name) {
        return (P) KeyParams.create(this, table, table.mapping(name));
    }

    @SuppressWarnings("unchecked")
    final E self() {
        return (E) this;
    }

    final E with(Param<?> param, Object value) {
        @SuppressWarnings("unchecked")
        Param<Object> p = (Param<Object>) param;
        set(p, value);
        return self();
    }

    @Override
    public String uid() {
        return uid;
    }

    // Spark finds a stage's parameters through public no-argument methods returning them
    public Param<String> tempDir() { return tempDir; }
    public IntArrayParam hiddenUnits() { return hiddenUnits; }
    public IntArrayParam denseUnits() { return denseUnits; }
    public Param<String> cellType() { return cellType; }
    public BooleanParam bidirectional() { return bidirectional; }
    public DoubleParam dropout() { return dropout; }
    public DoubleParam l2() { return l2; }
    public Param<String> clipping() { return clipping; }
    public DoubleParam clipThreshold() { return clipThreshold; }
    public Param<String> updater() { return updater; }
    public DoubleParam learningRate() { return learningRate; }
    public DoubleParam learningRateDecay() { return learningRateDecay; }
    public IntParam tbpttSteps() { return tbpttSteps; }
    public Param<String> kernel() { return kernel; }
    public LongParam seed() { return seed; }
    public IntParam epochs() { return epochs; }
    public IntParam minibatchSize() { return minibatchSize; }
    public IntParam batchSizePerWorker() { return batchSizePerWorker; }
    public IntParam averagingFrequency() { return averagingFrequency; }
    public DoubleParam averagingSeconds() { return averagingSeconds; }
    public IntParam numWorkers() { return numWorkers; }
    public BooleanParam keepBest() { return keepBest; }
    public IntParam earlyStoppingPatience() { return earlyStoppingPatience; }
    public DoubleParam earlyStoppingMinDelta() { return earlyStoppingMinDelta; }
    public Param<String> earlyStoppingMetric() { return earlyStoppingMetric; }
    public BooleanParam normalize() { return normalize; }
    public DoubleParam validationFraction() { return validationFraction; }

    public String getTempDir() { return getOrDefault(tempDir); }
    public int[] getHiddenUnits() { return (int[]) getOrDefault(hiddenUnits); }
    public int[] getDenseUnits() { return (int[]) getOrDefault(denseUnits); }
    public String getCellType() { return getOrDefault(cellType); }
    public boolean getBidirectional() { return (Boolean) getOrDefault(bidirectional); }
    public double getDropout() { return (Double) getOrDefault(dropout); }
    public double getL2() { return (Double) getOrDefault(l2); }
    public String getClipping() { return getOrDefault(clipping); }
    public double getClipThreshold() { return (Double) getOrDefault(clipThreshold); }
    public String getUpdater() { return getOrDefault(updater); }
    public double getLearningRate() { return (Double) getOrDefault(learningRate); }
    public double getLearningRateDecay() { return (Double) getOrDefault(learningRateDecay); }
    public int getTbpttSteps() { return (Integer) getOrDefault(tbpttSteps); }
    public String getKernel() { return getOrDefault(kernel); }
    public long getSeed() { return (Long) getOrDefault(seed); }
    public int getEpochs() { return (Integer) getOrDefault(epochs); }
    public int getMinibatchSize() { return (Integer) getOrDefault(minibatchSize); }
    public int getBatchSizePerWorker() { return (Integer) getOrDefault(batchSizePerWorker); }
    public int getAveragingFrequency() { return (Integer) getOrDefault(averagingFrequency); }
    public double getAveragingSeconds() { return (Double) getOrDefault(averagingSeconds); }
    public int getNumWorkers() { return (Integer) getOrDefault(numWorkers); }
    public boolean getKeepBest() { return (Boolean) getOrDefault(keepBest); }
    public int getEarlyStoppingPatience() { return (Integer) getOrDefault(earlyStoppingPatience); }
    public double getEarlyStoppingMinDelta() { return (Double) getOrDefault(earlyStoppingMinDelta); }
    public String getEarlyStoppingMetric() { return getOrDefault(earlyStoppingMetric); }
    public boolean getNormalize() { return (Boolean) getOrDefault(normalize); }
    public double getValidationFraction() { return (Double) getOrDefault(validationFraction); }

    public E setTempDir(String v) { return with(tempDir, v); }
    public E setHiddenUnits(int[] v) { return with(hiddenUnits, v); }
    public E setDenseUnits(int[] v) { return with(denseUnits, v); }
    public E setCellType(String v) { return with(cellType, v); }
    public E setBidirectional(boolean v) { return with(bidirectional, v); }
    public E setDropout(double v) { return with(dropout, v); }
    public E setL2(double v) { return with(l2, v); }
    public E setClipping(String v) { return with(clipping, v); }
    public E setClipThreshold(double v) { return with(clipThreshold, v); }
    public E setUpdater(String v) { return with(updater, v); }
    public E setLearningRate(double v) { return with(learningRate, v); }
    public E setLearningRateDecay(double v) { return with(learningRateDecay, v); }
    public E setTbpttSteps(int v) { return with(tbpttSteps, v); }
    public E setKernel(String v) { return with(kernel, v); }
    public E setSeed(long v) { return with(seed, v); }
    public E setEpochs(int v) { return with(epochs, v); }
    public E setMinibatchSize(int v) { return with(minibatchSize, v); }
    public E setBatchSizePerWorker(int v) { return with(batchSizePerWorker, v); }
    public E setAveragingFrequency(int v) { return with(averagingFrequency, v); }
    public E setAveragingSeconds(double v) { return with(averagingSeconds, v); }
    public E setNumWorkers(int v) { return with(numWorkers, v); }
    public E setKeepBest(boolean v) { return with(keepBest, v); }
    public E setEarlyStoppingPatience(int v) { return with(earlyStoppingPatience, v); }
    public E setEarlyStoppingMinDelta(double v) { return with(earlyStoppingMinDelta, v); }
    public E setEarlyStoppingMetric(String v) { return with(earlyStoppingMetric, v); }
    public E setNormalize(boolean v) { return with(normalize, v); }
    public E setValidationFraction(double v) { return with(validationFraction, v); }

    /** The parameters that reach the configuration, by name, as set or defaulted. */
    final Map<String, Object> configParams() {
        Map<String, Object> values = new LinkedHashMap<>();
        for (ConfigParams.Mapping m : table.mappings()) values.put(m.param(), getOrDefault(getParam(m.param())));
        return values;
    }

    /** The checked configuration of a fit reading {@code inputPath}; bad values named by parameter and key. */
    final JobConfig config(String inputPath) {
        return table.config(uid, configParams(), inputPath);
    }

    /**
     * Checks the schema and every parameter before any Spark job, writes the rows under a directory of their own,
     * prepares and trains on them as the command line does, and removes the directory, also when the fit fails.
     */
    @Override
    public final M fit(Dataset<?> dataset) {
        transformSchema(dataset.schema(), true);
        config("placeholder");
        // dl4j-spark's statistics default to an NTP clock, which fails offline (DESIGN.md)
        System.setProperty(SparkSessions.TIME_SOURCE_PROPERTY,
                System.getProperty(SparkSessions.TIME_SOURCE_PROPERTY, SparkSessions.SYSTEM_CLOCK));
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
        Configuration hadoop = sc.hadoopConfiguration();
        Path work = FitDirectory.create(getTempDir(), uid, hadoop);
        try {
            JobConfig config = config(writeRows(dataset, work, hadoop));
            String data = new Path(work, "data").toString();
            String run = new Path(work, "run").toString();
            PrepareJob.run(sc, config.prepare(), data, false, config.prepareSettings());
            TrainJob.Result result = TrainJob.run(sc, config, data, run, false);
            LstmTrainingSummary summary = LstmTrainingSummary.read(result.runDir(), hadoop, result.summary());
            return copyValues(model(result.bundle(), summary), ParamMap.empty()).setParent(this);
        } finally {
            FitDirectory.delete(work, hadoop);
        }
    }

    /** Writes the rows as the input of the prepare job under {@code work}; returns {@code input.path}. */
    abstract String writeRows(Dataset<?> dataset, Path work, Configuration hadoop);

    /** The fitted model of this estimator's uid. */
    abstract M model(ModelBundle bundle, LstmTrainingSummary summary);

    @Override
    public E copy(ParamMap extra) {
        return defaultCopy(extra);
    }
}
