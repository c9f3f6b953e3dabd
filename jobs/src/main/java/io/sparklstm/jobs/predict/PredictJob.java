package io.sparklstm.jobs.predict;

import io.sparklstm.model.bundle.ModelBundle;
import io.sparklstm.model.data.Preparation;
import io.sparklstm.model.data.Standardizer;
import io.sparklstm.prep.InputDataException;
import io.sparklstm.prep.PreparedOutput;
import io.sparklstm.prep.config.DatasetKind;
import io.sparklstm.prep.config.PrepareConfig;
import io.sparklstm.prep.config.TimeSeriesConfig;
import io.sparklstm.prep.io.InputFiles;
import io.sparklstm.prep.timeseries.ForecastInputs;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code predict}: batch scoring of new raw data with a model bundle, on the executors. The data is prepared
 * with the bundle's own preparation ({@link ForecastInputs}); the network goes to the executors as a
 * broadcast, each partition restores it once and scores its windows in minibatches; the predictions are
 * written by Spark as Parquet and/or CSV. Nothing but counts comes back to the driver.
 *
 * <p>Output, under the output directory: {@code predictions.parquet/} and/or {@code predictions.csv/} (Spark
 * directories, each with its {@code _SUCCESS} marker), then {@code predict-summary.json}, written last: an
 * output without it is incomplete. A forecast row is keyed by the series (the entity column, when the data
 * has one), the {@code timestamp} of the window's last input row (the time the forecast is made from, in
 * the input's {@code timeseries.timestampFormat}, or ISO-8601 when the time is split across columns) and
 * the horizon {@code step} (1 = the next row), and holds one column per target on the original scale.
 */
public final class PredictJob {

    private static final Logger LOG = LoggerFactory.getLogger(PredictJob.class);

    public static final String SUMMARY_FILE = "predict-summary.json";
    /** Windows scored per network call on an executor. */
    static final int BATCH = 256;

    /** Output file formats. */
    public enum Format { PARQUET, CSV }

    private PredictJob() {
    }

    /**
     * @param config   the data's preparation settings (the bundle's, with the caller's input and overrides)
     * @param model    where the bundle was read from, for the summary
     * @param lastOnly only the forecast from each series' last row
     * @return the summary written last
     */
    public static Map<String, Object> run(JavaSparkContext sc, ModelBundle bundle, String model, PrepareConfig config,
                                          String outputDir, boolean overwrite, Set<Format> formats, boolean lastOnly) {
        Preparation prep = bundle.info().preparation();
        if (config.kind() != DatasetKind.TIMESERIES || prep.task().isClassification()) {
            throw new InputDataException("--model " + model + ": predict scores forecasting models of time-series "
                    + "tables (dataset.kind = timeseries); this model is a " + prep.task().name().toLowerCase()
                    + " model of a " + prep.kind() + " dataset. Score prepared data with evaluate; sample text "
                    + "with sample.");
        }
        InputFiles files = InputFiles.list(config.input().path(), sc.hadoopConfiguration());
        ForecastInputs inputs = ForecastInputs.read(sc, config, files, prep, lastOnly);
        try {
            PreparedOutput.claim(outputDir, overwrite, sc.hadoopConfiguration());
            TimeSeriesConfig ts = config.timeseries();
            StructType schema = forecastSchema(ts.entityColumn(), prep.targetNames());
            JavaRDD<Row> rows = forecasts(sc, bundle, inputs.windows(), prep, ts);
            SparkSession spark = SparkSession.builder().config(sc.getConf()).getOrCreate();
            Dataset<Row> table = spark.createDataFrame(rows, schema);
            if (formats.size() > 1) table = table.persist(StorageLevel.MEMORY_AND_DISK_SER());
            Map<String, String> written = new LinkedHashMap<>();
            for (Format format : formats) {
                String dir = new Path(outputDir, "predictions." + format.name().toLowerCase()).toString();
                if (format == Format.PARQUET) {
                    table.write().mode(SaveMode.ErrorIfExists).parquet(dir);
                } else {
                    table.write().mode(SaveMode.ErrorIfExists).option("header", "true").csv(dir);
                }
                written.put(format.name().toLowerCase(), dir);
            }
            table.unpersist(false);
            // Counted from what was written: an accumulator in a transformation may count a retried task twice.
            Format first = formats.iterator().next();
            long rowsWritten = first == Format.PARQUET
                    ? spark.read().parquet(written.get("parquet")).count()
                    : spark.read().option("header", "true").csv(written.get("csv")).count();

            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("createdAt", Instant.now().toString());
            summary.put("model", model);
            summary.put("modelDataFingerprint", prep.dataFingerprint());
            summary.put("input", files.pattern());
            summary.put("inputFingerprint", files.fingerprint());
            summary.put("task", prep.task().name().toLowerCase());
            summary.put("targets", prep.targetNames());
            summary.put("horizonSteps", prep.horizonSteps());
            summary.put("windowSteps", prep.windowSteps());
            summary.put("origins", lastOnly ? "last row of each series" : "every row with a full window before it");
            summary.put("rowsRead", inputs.rows());
            summary.put("series", inputs.series());
            summary.put("windowsScored", rowsWritten / Math.max(1, prep.horizonSteps()));
            summary.put("predictionRows", rowsWritten);
            summary.put("windowsDroppedMissing", inputs.droppedWindows());
            summary.put("outputs", written);
            PreparedOutput.writeJson(outputDir, SUMMARY_FILE, summary, sc.hadoopConfiguration());
            LOG.info("predict: {} windows scored from {} rows of {} series; {}", summary.get("windowsScored"),
                    inputs.rows(), inputs.series(), written.values());
            return summary;
        } finally {
            inputs.release();
        }
    }

    /** Entity (when there is one), timestamp, step, then one double column per target. */
    static StructType forecastSchema(String entityColumn, List<String> targets) {
        List<StructField> fields = new ArrayList<>();
        if (!entityColumn.isEmpty()) fields.add(DataTypes.createStructField(entityColumn, DataTypes.StringType, false));
        fields.add(DataTypes.createStructField("timestamp", DataTypes.StringType, false));
        fields.add(DataTypes.createStructField("step", DataTypes.IntegerType, false));
        for (String target : targets) {
            if (target.equals(entityColumn) || target.equals("timestamp") || target.equals("step")) {
                throw new InputDataException("target column '" + target + "' clashes with a key column of the "
                        + "predictions (" + entityColumn + ", timestamp, step)");
            }
            fields.add(DataTypes.createStructField(target, DataTypes.DoubleType, false));
        }
        return DataTypes.createStructType(fields);
    }

    private static JavaRDD<Row> forecasts(JavaSparkContext sc, ModelBundle bundle, JavaRDD<ForecastInputs.Window> windows,
                                          Preparation prep, TimeSeriesConfig ts) {
        Broadcast<byte[]> network = sc.broadcast(serialize(bundle.network()));
        boolean hasEntity = !ts.entityColumn().isEmpty();
        boolean relative = ts.targetOffset() == TimeSeriesConfig.TargetOffset.LAST;
        Standardizer normalizer = prep.normalizer();
        int[] targetColumns = prep.targetNames().stream().mapToInt(normalizer::indexOf).toArray();
        int horizon = prep.horizonSteps();
        int channels = prep.featureNames().size();
        int steps = prep.windowSteps();
        String timePattern = ts.timestampColumns().isEmpty() ? ts.timestampFormat() : "";
        return windows.mapPartitions(part -> {
            if (!part.hasNext()) return java.util.Collections.emptyIterator();
            MultiLayerNetwork net = deserialize(network.value());
            return new Batches<>(part, batch -> {
                float[] data = new float[batch.size() * channels * steps];
                for (int k = 0; k < batch.size(); k++) {
                    System.arraycopy(batch.get(k).features(), 0, data, k * channels * steps, channels * steps);
                }
                INDArray out = net.output(Nd4j.create(data, new long[]{batch.size(), channels, steps}, 'c'));
                List<Row> rows = new ArrayList<>(batch.size() * horizon);
                for (int k = 0; k < batch.size(); k++) {
                    ForecastInputs.Window w = batch.get(k);
                    for (int h = 0; h < horizon; h++) {
                        List<Object> values = new ArrayList<>(3 + targetColumns.length);
                        if (hasEntity) values.add(w.entity());
                        values.add(ForecastInputs.formatTime(w.time(), timePattern));
                        values.add(h + 1);
                        for (int j = 0; j < targetColumns.length; j++) {
                            double standardized = out.getDouble(k, (long) h * targetColumns.length + j)
                                    + (relative ? w.lastTargets()[j] : 0.0);
                            values.add(normalizer.inverse(targetColumns[j], standardized));
                        }
                        rows.add(RowFactory.create(values.toArray()));
                    }
                }
                return rows;
            });
        });
    }

    static byte[] serialize(MultiLayerNetwork network) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ModelSerializer.writeModel(network, bytes, false);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MultiLayerNetwork deserialize(byte[] bytes) {
        try {
            return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Groups an iterator into batches of {@link #BATCH} and expands each batch into its outputs, lazily. */
    static final class Batches<T, R> implements Iterator<R> {
        private final Iterator<T> in;
        private final java.util.function.Function<List<T>, List<R>> score;
        private Iterator<R> current = java.util.Collections.emptyIterator();

        Batches(Iterator<T> in, java.util.function.Function<List<T>, List<R>> score) {
            this.in = in;
            this.score = score;
        }

        @Override
        public boolean hasNext() {
            while (!current.hasNext() && in.hasNext()) {
                List<T> batch = new ArrayList<>(BATCH);
                while (batch.size() < BATCH && in.hasNext()) batch.add(in.next());
                current = score.apply(batch).iterator();
            }
            return current.hasNext();
        }

        @Override
        public R next() {
            if (!hasNext()) throw new java.util.NoSuchElementException();
            return current.next();
        }
    }
}
