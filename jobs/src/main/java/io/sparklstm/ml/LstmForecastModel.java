package io.sparklstm.ml;

import io.sparklstm.jobs.predict.PredictJob;
import io.sparklstm.model.stream.ForecastStream;
import io.sparklstm.model.Json;
import io.sparklstm.model.bundle.BundleInfo;
import io.sparklstm.model.bundle.ModelBundle;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapGroupsWithStateFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.streaming.GroupState;
import org.apache.spark.sql.streaming.GroupStateTimeout;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * A fitted {@link LstmForecaster}. {@code transform} adds {@code forecastCol}, {@code array<array<double>>}
 * (horizon steps x targets, original units), to every row: the forecast from the window of the entity's last
 * {@code windowSteps} rows ending at that row, or null where the entity has fewer rows before it (or a missing value
 * in the window). Rows are taken in timestamp order within each entity as consecutive steps: the model's
 * {@link ForecastStream}, the code of the streaming scorer, reads them on the executors; unlike {@code predict},
 * nothing fills gaps in the time axis, so feed regular, gap-free series.
 */
public final class LstmForecastModel extends Model<LstmForecastModel> implements MLWritable {

    private final String uid;
    /** Empty only in a model made by the public constructors, which Spark's service loading needs. */
    private final Optional<ModelBundle> fitted;
    private final Optional<LstmTrainingSummary> summary;
    final Param<String> entityCol;
    final Param<String> timestampCol;
    final Param<String> forecastCol;
    private final Param<String> predictionCol;
    private final Param<String> predictionTarget;
    private final IntParam predictionStep;

    /**
     * An unfitted model, for Spark Connect: its server lists the models of {@code META-INF/services} through
     * {@link java.util.ServiceLoader}, which needs this public no-argument constructor (a listed class without one
     * fails every Transformer lookup of the server), and it reloads a cached model with the static {@code read()}.
     * Fit a {@link LstmForecaster} or {@code load} a saved model to get a usable one; this one refuses to transform.
     */
    public LstmForecastModel() {
        this(Identifiable$.MODULE$.randomUID("lstmForecastModel"));
    }

    /** An unfitted model with the given uid; see {@link #LstmForecastModel()}. */
    public LstmForecastModel(String uid) {
        this(uid, Optional.empty(), Optional.empty());
    }

    LstmForecastModel(String uid, ModelBundle bundle, Optional<LstmTrainingSummary> summary) {
        this(uid, Optional.of(bundle), summary);
    }

    private LstmForecastModel(String uid, Optional<ModelBundle> fitted, Optional<LstmTrainingSummary> summary) {
        this.uid = uid;
        this.fitted = fitted;
        this.summary = summary;
        entityCol = ForecastColumns.entityCol(this);
        timestampCol = ForecastColumns.timestampCol(this);
        forecastCol = ForecastColumns.forecastCol(this);
        predictionCol = ForecastColumns.predictionCol(this);
        predictionTarget = ForecastColumns.predictionTarget(this);
        predictionStep = ForecastColumns.predictionStep(this);
        ForecastColumns.setInputDefaults(this, entityCol, timestampCol);
        ForecastColumns.setOutputDefaults(this, forecastCol, predictionCol, predictionTarget, predictionStep);
    }

    @Override
    public String uid() {
        return uid;
    }

    // Spark finds a stage's parameters through public no-argument methods returning them
    public Param<String> entityCol() { return entityCol; }
    public Param<String> timestampCol() { return timestampCol; }
    public Param<String> forecastCol() { return forecastCol; }
    public Param<String> predictionCol() { return predictionCol; }
    public Param<String> predictionTarget() { return predictionTarget; }
    public IntParam predictionStep() { return predictionStep; }

    public String getEntityCol() { return getOrDefault(entityCol); }
    public String getTimestampCol() { return getOrDefault(timestampCol); }
    public String getForecastCol() { return getOrDefault(forecastCol); }
    public String getPredictionCol() { return getOrDefault(predictionCol); }
    public String getPredictionTarget() { return getOrDefault(predictionTarget); }
    public int getPredictionStep() { return (Integer) getOrDefault(predictionStep); }
    public LstmForecastModel setForecastCol(String v) { set(forecastCol, v); return this; }
    public LstmForecastModel setPredictionCol(String v) { set(predictionCol, v); return this; }
    public LstmForecastModel setPredictionTarget(String v) { set(predictionTarget, v); return this; }
    public LstmForecastModel setPredictionStep(int v) { set(predictionStep, v); return this; }

    public ModelBundle bundle() {
        return fitted.orElseThrow(() -> new IllegalStateException(uid + ": an unfitted LstmForecastModel (made by its public "
                + "constructor for Spark's service loading); fit a LstmForecaster or load a saved model"));
    }

    public boolean hasSummary() {
        return summary.isPresent();
    }

    /**
     * Per-epoch records ({@code objectiveHistory}, {@code validationHistory("loss")}) and the final metrics of each
     * split, naive baselines included ({@code finalMetrics()}, as in the run's {@code summary.json}).
     */
    public LstmTrainingSummary summary() {
        return summary.orElseThrow(() -> new NoSuchElementException(uid + ": no training summary (loaded model)"));
    }

    /** The model's targets, in the order of a forecast's inner arrays. */
    public List<String> targets() {
        return bundle().info().preparation().targetNames();
    }

    @Override
    public StructType transformSchema(StructType schema) {
        for (String c : columnsRead()) {
            if (!List.of(schema.fieldNames()).contains(c)) {
                throw new IllegalArgumentException(uid + ": no column '" + c + "'; the model reads " + columnsRead());
            }
        }
        predictionIndexes();
        return ForecastColumns.withOutputs(schema, getForecastCol(), getPredictionCol(), uid);
    }

    /**
     * The (step, target) indexes of the forecast that {@code predictionCol} holds: {@code predictionStep} (0: the
     * last) and {@code predictionTarget} (empty: the first), checked against the model's horizon and targets.
     */
    private int[] predictionIndexes() {
        int horizon = bundle().info().preparation().horizonSteps();
        int step = getPredictionStep() == 0 ? horizon : getPredictionStep();
        if (step > horizon) {
            throw new IllegalArgumentException(uid + ": predictionStep " + step + " is after the model's horizon of "
                    + horizon + " steps");
        }
        String target = getPredictionTarget();
        int index = target.isEmpty() ? 0 : targets().indexOf(target);
        if (index < 0) {
            throw new IllegalArgumentException(uid + ": predictionTarget '" + target + "' is not one of the model's "
                    + "targets " + targets());
        }
        return new int[] {step - 1, index};
    }

    /** The rows with the forecast column, plus the prediction column read from it. */
    private Dataset<Row> withPrediction(Dataset<Row> forecasts) {
        int[] at = predictionIndexes();
        return forecasts.withColumn(getPredictionCol(),
                functions.col(getForecastCol()).getItem(at[0]).getItem(at[1]));
    }

    /** Timestamp, entity (when there is one), then the model's numeric and categorical input columns. */
    private List<String> columnsRead() {
        ForecastStream stream = new ForecastStream(bundle());
        List<String> columns = new ArrayList<>(List.of(getTimestampCol()));
        if (!getEntityCol().isEmpty()) columns.add(getEntityCol());
        columns.addAll(stream.numericColumns());
        columns.addAll(stream.categoricalColumns());
        return columns;
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema(), true);
        StructType out = dataset.schema().add(getForecastCol(), ForecastColumns.FORECAST, true);
        Dataset<Row> df = dataset.toDF();
        if (df.isStreaming()) return withPrediction(streaming(df, out));
        Dataset<Row> ordered = getEntityCol().isEmpty()
                ? df.repartition(1).sortWithinPartitions(getTimestampCol())
                : df.repartition(functions.col(getEntityCol()))
                        .sortWithinPartitions(new Column[] {functions.col(getEntityCol()), functions.col(getTimestampCol())});
        return withPrediction(ordered.mapPartitions(scorer(dataset.sparkSession().sparkContext(), df.schema()),
                Encoders.row(out)));
    }

    /**
     * A streaming DataFrame: rows grouped by entity, each entity's last {@code windowSteps - 1} rows kept in Spark's
     * state between micro-batches ({@code flatMapGroupsWithState}, on both Spark lines); a micro-batch's rows of an
     * entity are read in timestamp order after the kept ones, so each row gets the forecast the batch transform
     * gives it. Append mode, no timeout: an entity's state lives as long as the query.
     */
    private Dataset<Row> streaming(Dataset<Row> df, StructType out) {
        Scorer scorer = scorer(df.sparkSession().sparkContext(), df.schema());
        int entity = scorer.entity();
        int time = df.schema().fieldIndex(getTimestampCol());
        int keep = bundle().info().preparation().windowSteps() - 1;
        return df.groupByKey((MapFunction<Row, String>) r -> entity < 0 ? "" : String.valueOf(r.get(entity)),
                        Encoders.STRING())
                .flatMapGroupsWithState(new StreamScorer(scorer, time, keep), OutputMode.Append(),
                        Encoders.javaSerialization(Recent.class), Encoders.row(out), GroupStateTimeout.NoTimeout());
    }

    /** An entity's last rows, raw, in order: what a new micro-batch's first windows read before its own rows. */
    public static final class Recent implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        final ArrayList<Row> rows = new ArrayList<>();
    }

    /** One entity's rows of a micro-batch: the kept rows replayed into a reset stream, then the new ones scored. */
    record StreamScorer(Scorer scorer, int time, int keep)
            implements FlatMapGroupsWithStateFunction<String, Row, Recent, Row> {

        private static final Map<Long, ForecastStream> STREAMS = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public Iterator<Row> call(String key, Iterator<Row> values, GroupState<Recent> state) throws IOException {
            List<Row> rows = new ArrayList<>();
            values.forEachRemaining(rows::add);
            rows.sort(this::byTime);
            ForecastStream stream = stream();
            Recent recent = state.exists() ? state.get() : new Recent();
            List<Row> scored = new ArrayList<>(rows.size());
            synchronized (stream) { // one stream per executor JVM; tasks of a micro-batch run at once
                stream.reset(key);
                for (Row kept : recent.rows) scorer.forecast(stream, kept);
                for (Row row : rows) scored.add(Scorer.append(row, scorer.forecast(stream, row)));
                stream.reset(key);
            }
            recent.rows.addAll(rows);
            while (recent.rows.size() > keep) recent.rows.remove(0);
            state.update(recent);
            return scored.iterator();
        }

        private int byTime(Row a, Row b) {
            @SuppressWarnings("unchecked")
            Comparable<Object> t = (Comparable<Object>) a.get(time);
            return t.compareTo(b.get(time));
        }

        /**
         * The network restored once per executor JVM for this model (keyed by its broadcast), not once per entity and
         * micro-batch; kept while the JVM lives.
         */
        private ForecastStream stream() throws IOException {
            long id = scorer.network().id();
            ForecastStream s = STREAMS.get(id);
            if (s == null) {
                STREAMS.putIfAbsent(id, scorer.stream());
                s = STREAMS.get(id);
            }
            return s;
        }
    }

    /** The partition scorer: the bundle broadcast once, a forecast stream per partition. */
    Scorer scorer(org.apache.spark.SparkContext spark, StructType schema) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark);
        byte[] info;
        try {
            info = Json.mapper().writeValueAsBytes(bundle().info());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ForecastStream stream = new ForecastStream(bundle());
        int[] numeric = stream.numericColumns().stream().mapToInt(schema::fieldIndex).toArray();
        int[] categorical = stream.categoricalColumns().stream().mapToInt(schema::fieldIndex).toArray();
        int entity = getEntityCol().isEmpty() ? -1 : schema.fieldIndex(getEntityCol());
        return new Scorer(sc.broadcast(PredictJob.serialize(bundle().network())), sc.broadcast(info), numeric,
                categorical, entity);
    }

    /** Reads rows in (entity, time) order through one {@link ForecastStream}; appends each row's forecast or null. */
    record Scorer(Broadcast<byte[]> network, Broadcast<byte[]> info, int[] numeric, int[] categorical, int entity)
            implements MapPartitionsFunction<Row, Row> {

        ForecastStream stream() throws IOException {
            return new ForecastStream(new ModelBundle(PredictJob.deserialize(network.value()),
                    Json.mapper().readValue(info.value(), BundleInfo.class)));
        }

        @Override
        public Iterator<Row> call(Iterator<Row> rows) throws IOException {
            if (!rows.hasNext()) return Collections.emptyIterator();
            ForecastStream stream = stream();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return rows.hasNext();
                }

                @Override
                public Row next() {
                    Row row = rows.next();
                    return append(row, forecast(stream, row));
                }
            };
        }

        /** The row's forecast ({@code double[][]}, an external type Spark's row encoder takes), or null while its entity has no full window. */
        double[][] forecast(ForecastStream stream, Row row) {
            double[] values = new double[numeric.length];
            for (int i = 0; i < numeric.length; i++) {
                values[i] = row.isNullAt(numeric[i]) ? Double.NaN : ((Number) row.get(numeric[i])).doubleValue();
            }
            String[] categories = new String[categorical.length];
            for (int i = 0; i < categorical.length; i++) {
                categories[i] = row.isNullAt(categorical[i]) ? null : String.valueOf(row.get(categorical[i]));
            }
            String key = entity < 0 ? "" : String.valueOf(row.get(entity));
            return stream.step(key, values, categories).orElse(null);
        }

        static Row append(Row row, Object value) {
            Object[] values = new Object[row.size() + 1];
            for (int i = 0; i < row.size(); i++) values[i] = row.get(i);
            values[row.size()] = value;
            return RowFactory.create(values);
        }
    }

    @Override
    public LstmForecastModel copy(ParamMap extra) {
        return copyValues(new LstmForecastModel(uid, fitted, summary), extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return BundlePersistence.writer(this, bundle());
    }

    public static MLReader<LstmForecastModel> read() {
        return BundlePersistence.reader(LstmForecastModel.class, (uid, bundle) -> new LstmForecastModel(uid, bundle, Optional.empty()));
    }

    public static LstmForecastModel load(String path) {
        return read().load(path);
    }
}
