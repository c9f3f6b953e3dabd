package io.sparklstm.ml;

import io.sparklstm.jobs.predict.PredictJob;
import io.sparklstm.model.Ensemble;
import io.sparklstm.model.bundle.ModelBundle;
import io.sparklstm.model.data.Preparation;
import io.sparklstm.model.data.Standardizer;
import io.sparklstm.prep.SequenceInputs;
import io.sparklstm.prep.config.PerSequence;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * A fitted {@link LstmClassifier}: the model bundle of its training run (network, normalizer, the preparation's
 * settings, metrics, provenance). {@code transform} scores each row's sequence on the executors, prepared as the
 * training cases were ({@code prepare.perSequence}, {@code sequenceStats}, the training normalizer), and adds the
 * predicted class index ({@code predictionCol}) and the class probabilities ({@code probabilityCol}).
 *
 * <p>Saved ({@code write().save(path)}, also as a stage of a saved {@code PipelineModel}) as Spark's
 * {@code metadata/} (the parameters) beside {@code model/}, the bundle: {@code spark-lstm predict --model path} and
 * {@code evaluate --model path} read it as they read a training run.
 */
public final class LstmClassificationModel extends Model<LstmClassificationModel> implements MLWritable {

    /** The bundle's directory under a saved model's path. */
    static final String BUNDLE_DIR = BundlePersistence.BUNDLE_DIR;

    private final String uid;
    /** Empty only in a model made by the public constructors, which Spark's service loading needs. */
    private final Optional<ModelBundle> fitted;
    private final Optional<LstmTrainingSummary> summary;
    private final Param<String> featuresCol;
    private final Param<String> labelCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;

    /**
     * An unfitted model, for Spark Connect: its server lists the models of {@code META-INF/services} through
     * {@link java.util.ServiceLoader}, which needs this public no-argument constructor (a listed class without one
     * fails every Transformer lookup of the server), and it reloads a cached model with the static {@code read()}.
     * Fit a {@link LstmClassifier} or {@code load} a saved model to get a usable one; this one refuses to transform.
     */
    public LstmClassificationModel() {
        this(Identifiable$.MODULE$.randomUID("lstmClassificationModel"));
    }

    /** An unfitted model with the given uid; see {@link #LstmClassificationModel()}. */
    public LstmClassificationModel(String uid) {
        this(uid, Optional.empty(), Optional.empty());
    }

    LstmClassificationModel(String uid, ModelBundle bundle, Optional<LstmTrainingSummary> summary) {
        this(uid, Optional.of(bundle), summary);
    }

    private LstmClassificationModel(String uid, Optional<ModelBundle> fitted, Optional<LstmTrainingSummary> summary) {
        this.uid = uid;
        this.fitted = fitted;
        this.summary = summary;
        this.featuresCol = ColumnParams.featuresCol(this);
        this.labelCol = ColumnParams.labelCol(this);
        this.predictionCol = ColumnParams.predictionCol(this);
        this.probabilityCol = ColumnParams.probabilityCol(this);
        ColumnParams.setDefaults(this, featuresCol, labelCol, predictionCol, probabilityCol);
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

    public LstmClassificationModel setFeaturesCol(String value) {
        set(featuresCol, value);
        return this;
    }

    public LstmClassificationModel setPredictionCol(String value) {
        set(predictionCol, value);
        return this;
    }

    public LstmClassificationModel setProbabilityCol(String value) {
        set(probabilityCol, value);
        return this;
    }

    /** The model bundle: network, preparation, metrics of the fit, provenance. */
    public ModelBundle bundle() {
        return fitted.orElseThrow(() -> new IllegalStateException(uid + ": an unfitted LstmClassificationModel (made by its public "
                + "constructor for Spark's service loading); fit a LstmClassifier or load a saved model"));
    }

    /** Classes the model tells apart (the class indexes {@code 0 .. numClasses-1}). */
    public int numClasses() {
        return bundle().info().preparation().classNames().size();
    }

    /** Channels each step of a sequence must have. */
    public int numChannels() {
        return inputs().sourceChannels(bundle().info().preparation().featureNames().size());
    }

    public boolean hasSummary() {
        return summary.isPresent();
    }

    /** How the fit went; only a model just fitted has one (as with Spark's models, it is not saved). */
    public LstmTrainingSummary summary() {
        return summary.orElseThrow(() -> new NoSuchElementException(uid + ": no training summary (this model was "
                + "loaded, not fitted in this session)"));
    }

    @Override
    public StructType transformSchema(StructType schema) {
        SequenceColumn.require(schema, getFeaturesCol(), uid);
        for (String out : List.of(getPredictionCol(), getProbabilityCol())) {
            if (List.of(schema.fieldNames()).contains(out)) {
                throw new IllegalArgumentException(uid + ": output column '" + out + "' already exists");
            }
        }
        return schema.add(getPredictionCol(), DataTypes.DoubleType, false)
                .add(getProbabilityCol(), SQLDataTypes.VectorType(), false);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema(), true);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
        Broadcast<ArrayList<byte[]>> network = sc.broadcast(PredictJob.serialize(bundle().ensemble()));
        Preparation prep = bundle().info().preparation();
        Scorer scorer = new Scorer(network, inputs(), prep.normalizer(), prep.featureNames().size(),
                dataset.schema().fieldIndex(getFeaturesCol()), getFeaturesCol());
        return dataset.toDF().mapPartitions(scorer, Encoders.row(out));
    }

    /** What the network is given of a sequence: the model's own preparation settings. */
    private SequenceInputs inputs() {
        Map<String, Object> settings = bundle().info().preparation().settings();
        Object prepare = settings.get("prepare");
        if (!(prepare instanceof Map<?, ?> p)) return SequenceInputs.RAW;
        PerSequence perSequence = PerSequence.valueOf(String.valueOf(p.get("perSequence")).toUpperCase(Locale.ROOT));
        return new SequenceInputs(perSequence, Boolean.parseBoolean(String.valueOf(p.get("sequenceStats"))));
    }

    /** Scores a partition's rows in batches with the network restored once per partition; no driver state. */
    private record Scorer(Broadcast<ArrayList<byte[]>> network, SequenceInputs inputs, Standardizer normalizer, int channels,
                          int column, String columnName) implements MapPartitionsFunction<Row, Row> {

        @Override
        public java.util.Iterator<Row> call(java.util.Iterator<Row> rows) {
            if (!rows.hasNext()) return Collections.emptyIterator();
            Ensemble net = PredictJob.deserialize(network.value());
            int sourceChannels = inputs.sourceChannels(channels);
            return new PredictJob.Batches<Row, Row>(rows, batch -> {
                List<SequenceColumn.Sequence> sequences = new ArrayList<>(batch.size());
                for (Row row : batch) {
                    SequenceColumn.Sequence s = SequenceColumn.read(row, column, columnName);
                    if (s.channels() != sourceChannels) {
                        throw new IllegalArgumentException(columnName + ": a sequence has " + s.channels()
                                + " channels; the model was fitted on sequences of " + sourceChannels);
                    }
                    sequences.add(s);
                }
                INDArray probabilities = PredictJob.classify(net, sequences, inputs, normalizer, channels);
                List<Row> scored = new ArrayList<>(batch.size());
                for (int k = 0; k < batch.size(); k++) {
                    double[] p = probabilities.getRow(k).toDoubleVector();
                    int best = 0;
                    for (int j = 1; j < p.length; j++) if (p[j] > p[best]) best = j;
                    Object[] values = new Object[batch.get(k).size() + 2];
                    for (int i = 0; i < values.length - 2; i++) values[i] = batch.get(k).get(i);
                    values[values.length - 2] = (double) best;
                    values[values.length - 1] = Vectors.dense(p);
                    scored.add(RowFactory.create(values));
                }
                return scored;
            });
        }
    }

    @Override
    public LstmClassificationModel copy(ParamMap extra) {
        LstmClassificationModel copy = copyValues(new LstmClassificationModel(uid, fitted, summary), extra);
        return copy.setParent(parent());
    }

    @Override
    public MLWriter write() {
        return BundlePersistence.writer(this, bundle());
    }

    public static MLReader<LstmClassificationModel> read() {
        return BundlePersistence.reader(LstmClassificationModel.class, (uid, bundle) -> new LstmClassificationModel(uid, bundle, Optional.empty()));
    }

    public static LstmClassificationModel load(String path) {
        return read().load(path);
    }
}
