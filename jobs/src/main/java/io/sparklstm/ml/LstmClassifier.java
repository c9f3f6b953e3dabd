package io.sparklstm.ml;

import io.sparklstm.model.bundle.ModelBundle;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

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
public final class LstmClassifier extends LstmEstimator<LstmClassificationModel, LstmClassifier> {

    private static final Logger LOG = LoggerFactory.getLogger(LstmClassifier.class);

    private final Param<String> featuresCol;
    private final Param<String> labelCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final Param<String> perSequence;
    private final BooleanParam sequenceStats;
    private final IntArrayParam convLayers;
    private final IntParam convKernel;
    private final Param<String> pooling;
    private final IntParam ensembleMembers;

    public LstmClassifier() {
        this(Identifiable$.MODULE$.randomUID("lstmClassifier"));
    }

    public LstmClassifier(String uid) {
        super(uid, ConfigParams.CLASSIFIER);
        featuresCol = ColumnParams.featuresCol(this);
        labelCol = ColumnParams.labelCol(this);
        predictionCol = ColumnParams.predictionCol(this);
        probabilityCol = ColumnParams.probabilityCol(this);
        ColumnParams.setDefaults(this, featuresCol, labelCol, predictionCol, probabilityCol);
        perSequence = keyParam("perSequence");
        sequenceStats = keyParam("sequenceStats");
        convLayers = keyParam("convLayers");
        convKernel = keyParam("convKernel");
        pooling = keyParam("pooling");
        ensembleMembers = keyParam("ensembleMembers");
    }

    public Param<String> featuresCol() { return featuresCol; }
    public Param<String> labelCol() { return labelCol; }
    public Param<String> predictionCol() { return predictionCol; }
    public Param<String> probabilityCol() { return probabilityCol; }
    public Param<String> perSequence() { return perSequence; }
    public BooleanParam sequenceStats() { return sequenceStats; }
    public IntArrayParam convLayers() { return convLayers; }
    public IntParam convKernel() { return convKernel; }
    public Param<String> pooling() { return pooling; }
    public IntParam ensembleMembers() { return ensembleMembers; }

    public String getFeaturesCol() { return getOrDefault(featuresCol); }
    public String getLabelCol() { return getOrDefault(labelCol); }
    public String getPredictionCol() { return getOrDefault(predictionCol); }
    public String getProbabilityCol() { return getOrDefault(probabilityCol); }
    public String getPerSequence() { return getOrDefault(perSequence); }
    public boolean getSequenceStats() { return (Boolean) getOrDefault(sequenceStats); }
    public int[] getConvLayers() { return (int[]) getOrDefault(convLayers); }
    public int getConvKernel() { return (Integer) getOrDefault(convKernel); }
    public String getPooling() { return getOrDefault(pooling); }
    public int getEnsembleMembers() { return (Integer) getOrDefault(ensembleMembers); }

    public LstmClassifier setFeaturesCol(String v) { return with(featuresCol, v); }
    public LstmClassifier setLabelCol(String v) { return with(labelCol, v); }
    public LstmClassifier setPredictionCol(String v) { return with(predictionCol, v); }
    public LstmClassifier setProbabilityCol(String v) { return with(probabilityCol, v); }
    public LstmClassifier setPerSequence(String v) { return with(perSequence, v); }
    public LstmClassifier setSequenceStats(boolean v) { return with(sequenceStats, v); }
    public LstmClassifier setConvLayers(int[] v) { return with(convLayers, v); }
    public LstmClassifier setConvKernel(int v) { return with(convKernel, v); }
    public LstmClassifier setPooling(String v) { return with(pooling, v); }
    public LstmClassifier setEnsembleMembers(int v) { return with(ensembleMembers, v); }

    @Override
    public StructType transformSchema(StructType schema) {
        SequenceColumn.require(schema, getFeaturesCol(), uid());
        String label = getLabelCol();
        if (!List.of(schema.fieldNames()).contains(label)
                || !(schema.apply(label).dataType() instanceof NumericType)) {
            throw new IllegalArgumentException(uid() + ": labelCol '" + label + "' must be a numeric column of class "
                    + "indexes (columns: " + String.join(", ", schema.fieldNames()) + ")");
        }
        for (String out : List.of(getPredictionCol(), getProbabilityCol())) {
            if (List.of(schema.fieldNames()).contains(out)) {
                throw new IllegalArgumentException(uid() + ": output column '" + out + "' already exists");
            }
        }
        return schema.add(getPredictionCol(), DataTypes.DoubleType, false)
                .add(getProbabilityCol(), org.apache.spark.ml.linalg.SQLDataTypes.VectorType(), false);
    }

    /** The rows as sktime {@code .ts} files, one per non-empty partition, each with the header. */
    @Override
    String writeRows(Dataset<?> dataset, Path work, Configuration hadoop) {
        TsExport.Written cases = TsExport.write(dataset, getFeaturesCol(), getLabelCol(), new Path(work, "cases"),
                hadoop, uid());
        LOG.info("{}: {} classes, {} channels; rows written as {}", uid(), cases.classes(), cases.channels(),
                cases.pattern());
        return cases.pattern();
    }

    @Override
    LstmClassificationModel model(ModelBundle bundle, LstmTrainingSummary summary) {
        return new LstmClassificationModel(uid(), bundle, Optional.of(summary));
    }

    public static MLReader<LstmClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static LstmClassifier load(String path) {
        return read().load(path);
    }
}
