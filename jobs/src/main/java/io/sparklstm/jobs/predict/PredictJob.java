package io.sparklstm.jobs.predict;

import io.sparklstm.jobs.config.ConfigException;
import io.sparklstm.jobs.evaluate.PreparationMatch;
import io.sparklstm.model.Ensemble;
import io.sparklstm.model.Task;
import io.sparklstm.model.bundle.ModelBundle;
import io.sparklstm.model.data.NaiveForecasts;
import io.sparklstm.model.data.Preparation;
import io.sparklstm.model.data.Standardizer;
import io.sparklstm.prep.DatasetKindSupport;
import io.sparklstm.prep.LabelledSequence;
import io.sparklstm.prep.ScoringCases;
import io.sparklstm.prep.SequenceInputs;
import io.sparklstm.prep.config.PrepareConfig;
import io.sparklstm.prep.config.TimeSeriesConfig;
import io.sparklstm.prep.export.Example;
import io.sparklstm.prep.export.MinibatchWriter;
import io.sparklstm.prep.io.InputDataException;
import io.sparklstm.prep.io.InputFiles;
import io.sparklstm.prep.job.DatasetKinds;
import io.sparklstm.prep.output.OutputDirectory;
import io.sparklstm.prep.output.OutputKind;
import io.sparklstm.prep.output.OutputRequest;
import io.sparklstm.prep.output.PreparedOutput;
import io.sparklstm.prep.output.StagedWrite;
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
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code predict}: batch scoring of new raw data with a model bundle, on the executors. The data is prepared
 * with the bundle's own preparation ({@link ForecastInputs}); the network goes to the executors as a
 * broadcast, each partition restores it once and scores its windows in minibatches; the predictions are
 * written by Spark as Parquet and/or CSV. Nothing but counts comes back to the driver.
 *
 * <p>Output, under the output directory: {@code predictions.parquet/} and/or {@code predictions.csv/} (Spark
 * directories, each with its {@code _SUCCESS} marker), then {@code predict-summary.json}: written beside the
 * output directory and renamed into place when complete, so a run that fails leaves nothing behind. A
 * forecast row is keyed by the series (the entity column, when the data has one), the {@code timestamp} of
 * the window's last input row (the time the forecast is made from, in the input's
 * {@code timeseries.timestampFormat}, or ISO-8601 when the time is split across columns; for a table in row
 * order, the file's name and line) and the horizon {@code step} (1 = the next row), and holds one column per
 * target on the original scale.
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
     * What a kind of model makes of the data: rows of predictions, their schema, the counts that go into the
     * summary once the rows are written, and what to free afterwards.
     */
    private record Scoring(JavaRDD<Row> rows, StructType schema, Function<Dataset<Row>, Counts> counts,
                           Runnable release) {
    }

    /** The counts of one kind of model: a forecaster's or a classifier's. */
    private record Counts(Optional<PredictionSummary.ForecastCounts> forecasts,
                          Optional<PredictionSummary.ClassCounts> classes) {
    }

    /**
     * @param config   the data's preparation settings (the bundle's, with the caller's input and overrides)
     * @param model    where the bundle was read from, for the summary
     * @param lastOnly forecasting: only the forecast from each series' last row
     * @return the summary written last
     */
    public static PredictionSummary run(JavaSparkContext sc, ModelBundle bundle, String model, PrepareConfig config,
                                          String outputDir, boolean overwrite, Set<Format> formats, boolean lastOnly) {
        Preparation prep = bundle.info().preparation();
        PreparationMatch.requireApplied(prep, config, config.input().path());
        OutputRequest request = outputRequest(outputDir, overwrite, config.input().path(), model);
        request.check(sc.hadoopConfiguration());
        InputFiles files = InputFiles.list(config.input().path(), sc.hadoopConfiguration());
        DatasetKindSupport kind = DatasetKinds.of(config.kind());
        if (!kind.scoredTask().equals(Optional.of(prep.task()))) {
            throw new InputDataException("--model " + model + ": predict scores forecasting models of time-series "
                    + "tables and sequence classifiers (dataset kinds sequences and ts); this model is a "
                    + prep.task().name().toLowerCase() + " model of a " + prep.kind() + " dataset (sample text "
                    + "with sample)");
        }
        if (lastOnly && prep.task() == Task.CLASSIFICATION) {
            throw new ConfigException("--last-only is for forecasting models; this one classifies sequences");
        }
        Scoring scoring = expecting(prep, config, () -> setUpScoring(sc, bundle, config, files, lastOnly));
        try {
            OutputDirectory output = request.claim(sc.hadoopConfiguration());
            PredictionSummary summary = StagedWrite.run(sc, output,
                    () -> write(sc, scoring, formats, output, prep, model, files));
            LOG.info("predict: {}", summary);
            return summary;
        } finally {
            scoring.release().run();
        }
    }

    /**
     * The scoring set up by {@code setUp}; input that does not fit (a missing column, another file format) fails
     * with what the model expects added to the error, which names the file and what it found.
     */
    private static Scoring expecting(Preparation prep, PrepareConfig config, java.util.function.Supplier<Scoring> setUp) {
        try {
            return setUp.get();
        } catch (InputDataException e) {
            throw new InputDataException(e.getMessage() + "; " + expected(prep, config), e);
        }
    }

    /** What a model reads, in words: the input kind, its columns or format. */
    static String expected(Preparation prep, PrepareConfig config) {
        return DatasetKinds.of(config.kind()).expectedInput(prep, config);
    }

    /** The kind's cases of the new data, scored by the model of their task. */
    private static Scoring setUpScoring(JavaSparkContext sc, ModelBundle bundle, PrepareConfig config,
                                        InputFiles files, boolean lastOnly) {
        Preparation prep = bundle.info().preparation();
        ScoringCases cases = DatasetKinds.of(config.kind()).scoringCases(sc, config, files, prep, lastOnly);
        if (cases instanceof ForecastInputs windows) {
            return forecasting(sc, bundle, config, windows, lastOnly);
        }
        return classifying(sc, bundle, config, ((ScoringCases.Sequences) cases).cases(), files);
    }

    /**
     * What {@code predict} writes: predictions, replacing only predictions, never its input or its model; staged
     * beside, so data that fails midway leaves nothing behind and the predictions it was to replace whole.
     */
    public static OutputRequest outputRequest(String outputDir, boolean overwrite, String input, String model) {
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put("--input", input);
        inputs.put("--model", model);
        return new OutputRequest(outputDir, OutputKind.PREDICTIONS, overwrite, OutputRequest.Placement.STAGED, inputs);
    }

    /** The predictions in each format, then the summary, written last; the summary names the final paths. */
    private static PredictionSummary write(JavaSparkContext sc, Scoring scoring, Set<Format> formats,
                                             OutputDirectory output, Preparation prep, String model, InputFiles files) {
        SparkSession spark = SparkSession.builder().config(sc.getConf()).getOrCreate();
        Dataset<Row> table = spark.createDataFrame(scoring.rows(), scoring.schema());
        if (formats.size() > 1) table = table.persist(StorageLevel.MEMORY_AND_DISK_SER());
        Map<String, String> written = new LinkedHashMap<>();
        Map<String, String> outputs = new LinkedHashMap<>();
        for (Format format : formats) {
            String name = "predictions." + format.name().toLowerCase();
            String dir = new Path(output.path(), name).toString();
            if (format == Format.PARQUET) {
                table.write().mode(SaveMode.ErrorIfExists).parquet(dir);
            } else {
                table.write().mode(SaveMode.ErrorIfExists).option("header", "true").csv(dir);
            }
            written.put(format.name().toLowerCase(), dir);
            outputs.put(format.name().toLowerCase(), new Path(output.target(), name).toString());
        }
        table.unpersist(false);
        // Counted from what was written (an accumulator in a transformation may count a retried task twice).
        Dataset<Row> read = written.containsKey("parquet")
                ? spark.read().parquet(written.get("parquet"))
                : spark.read().schema(scoring.schema()).option("header", "true").csv(written.get("csv"));

        Counts counts = scoring.counts().apply(read);
        PredictionSummary summary = new PredictionSummary(Instant.now().toString(), model, prep.dataFingerprint(),
                files.pattern(), files.fingerprint(), prep.task().name().toLowerCase(), counts.forecasts(),
                counts.classes(), outputs);
        PreparedOutput.writeJson(output.path(), SUMMARY_FILE, summary, sc.hadoopConfiguration());
        return summary;
    }

    private static Scoring forecasting(JavaSparkContext sc, ModelBundle bundle, PrepareConfig config,
                                       ForecastInputs inputs, boolean lastOnly) {
        Preparation prep = bundle.info().preparation();
        TimeSeriesConfig ts = config.timeseries();
        return new Scoring(forecasts(sc, bundle, inputs.windows(), prep, ts),
                forecastSchema(ts.entityColumn(), prep.targetNames()), output -> {
            long rows = output.count();
            return new Counts(Optional.of(new PredictionSummary.ForecastCounts(prep.targetNames(),
                    prep.horizonSteps(), prep.windowSteps(),
                    lastOnly ? "last row of each series" : "every row with a full window before it", inputs.rows(),
                    inputs.series(), rows / Math.max(1, prep.horizonSteps()), rows, inputs.droppedWindows())),
                    Optional.empty());
        }, inputs::release);
    }

    private static Scoring classifying(JavaSparkContext sc, ModelBundle bundle, PrepareConfig config,
                                       JavaRDD<? extends LabelledSequence> cases, InputFiles files) {
        Preparation prep = bundle.info().preparation();
        // the model's own: PredictCommand refuses a prepare.perSequence or sequenceStats that differs from it
        SequenceInputs inputs = SequenceInputs.of(config);
        StructType schema = classSchema(prep.classNames());
        return new Scoring(classes(sc, bundle, cases, prep, inputs, files.paths()), schema, output -> {
            long rows = output.count();
            long labelled = output.filter(output.col("label").isNotNull()).count();
            Optional<Double> accuracy = Optional.empty();
            if (labelled > 0) {
                long correct = output.filter(output.col("label").equalTo(output.col("predicted"))).count();
                accuracy = Optional.of((double) correct / labelled);
            }
            return new Counts(Optional.empty(), Optional.of(new PredictionSummary.ClassCounts(prep.classNames(),
                    rows, labelled, accuracy)));
        }, () -> { });
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
        Broadcast<ArrayList<byte[]>> network = sc.broadcast(serialize(bundle.ensemble()));
        boolean hasEntity = !ts.entityColumn().isEmpty();
        NaiveForecasts basis = NaiveForecasts.of(prep);
        Standardizer normalizer = prep.normalizer();
        int[] targetColumns = prep.targetNames().stream().mapToInt(normalizer::indexOf).toArray();
        int horizon = prep.horizonSteps();
        int channels = prep.featureNames().size();
        int steps = prep.windowSteps();
        String timePattern = ts.timestampColumns().isEmpty() ? ts.timestampFormat() : "";
        boolean rowOrder = ts.rowOrder();
        return windows.mapPartitions(part -> {
            if (!part.hasNext()) return java.util.Collections.emptyIterator();
            Ensemble net = deserialize(network.value());
            return new Batches<>(part, batch -> {
                List<Example> examples = new ArrayList<>(batch.size());
                for (ForecastInputs.Window w : batch) {
                    examples.add(new Example(0, w.entity(), 0, steps, w.features(), new float[0], -1));
                }
                INDArray out = net.output(MinibatchWriter.stackInputs(examples, channels).features(), null, null);
                List<Row> rows = new ArrayList<>(batch.size() * horizon);
                for (int k = 0; k < batch.size(); k++) {
                    ForecastInputs.Window w = batch.get(k);
                    for (int h = 0; h < horizon; h++) {
                        List<Object> values = new ArrayList<>(3 + targetColumns.length);
                        if (hasEntity) values.add(w.entity());
                        values.add(rowOrder ? rowOf(w) : ForecastInputs.formatTime(w.time(), timePattern));
                        values.add(h + 1);
                        for (int j = 0; j < targetColumns.length; j++) {
                            float[] inputs = w.features();
                            double standardized = out.getDouble(k, (long) h * targetColumns.length + j)
                                    + basis.offset((c, t) -> inputs[c * steps + t], h, j);
                            values.add(normalizer.inverse(targetColumns[j], standardized));
                        }
                        rows.add(RowFactory.create(values.toArray()));
                    }
                }
                return rows;
            });
        });
    }

    /** Where a window of a table in row order ends, for its timestamp column: the file's name and the line. */
    static String rowOf(ForecastInputs.Window w) {
        return w.file().substring(w.file().lastIndexOf('/') + 1) + ":" + w.line();
    }

    /** File, line, the given label (null when the data has none), the predicted class, a probability per class. */
    static StructType classSchema(List<String> classNames) {
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("file", DataTypes.StringType, false));
        fields.add(DataTypes.createStructField("line", DataTypes.LongType, false));
        fields.add(DataTypes.createStructField("label", DataTypes.StringType, true));
        fields.add(DataTypes.createStructField("predicted", DataTypes.StringType, false));
        for (String c : classNames) fields.add(DataTypes.createStructField("p_" + c, DataTypes.DoubleType, false));
        return DataTypes.createStructType(fields);
    }

    private static JavaRDD<Row> classes(JavaSparkContext sc, ModelBundle bundle,
                                        JavaRDD<? extends LabelledSequence> cases, Preparation prep,
                                        SequenceInputs inputs, List<String> paths) {
        Broadcast<ArrayList<byte[]>> network = sc.broadcast(serialize(bundle.ensemble()));
        Standardizer normalizer = prep.normalizer();
        List<String> classNames = prep.classNames();
        int channels = prep.featureNames().size();
        return cases.mapPartitions(part -> {
            if (!part.hasNext()) return java.util.Collections.emptyIterator();
            Ensemble net = deserialize(network.value());
            return new Batches<LabelledSequence, Row>(part, batch -> {
                INDArray out = classify(net, batch, inputs, normalizer, channels);
                List<Row> rows = new ArrayList<>(batch.size());
                for (int k = 0; k < batch.size(); k++) {
                    LabelledSequence c = batch.get(k);
                    if (c.label() >= classNames.size()) {
                        throw InputDataException.atLine(paths.get(c.fileIndex()), c.line(), "label " + c.label()
                                + " is not one of the model's " + classNames.size() + " classes " + classNames, "");
                    }
                    List<Object> values = new ArrayList<>(4 + classNames.size());
                    values.add(paths.get(c.fileIndex()));
                    values.add(c.line());
                    values.add(c.label() < 0 ? null : classNames.get(c.label()));
                    int best = 0;
                    for (int j = 1; j < classNames.size(); j++) {
                        if (out.getDouble(k, j) > out.getDouble(k, best)) best = j;
                    }
                    values.add(classNames.get(best));
                    for (int j = 0; j < classNames.size(); j++) values.add(out.getDouble(k, j));
                    rows.add(RowFactory.create(values.toArray()));
                }
                return rows;
            });
        });
    }

    /**
     * Class probabilities of a batch of sequences, made inputs, standardized and stacked as in training: padded
     * to the longest, with a mask when their lengths differ (the network reads each up to its own last step).
     *
     * @param channels the network's input channels
     */
    public static INDArray classify(Ensemble net, List<? extends LabelledSequence> batch, SequenceInputs inputs,
                             Standardizer normalizer, int channels) {
        List<Example> examples = new ArrayList<>(batch.size());
        for (LabelledSequence c : batch) examples.add(c.toExample(inputs, normalizer));
        MinibatchWriter.StackedInputs stacked = MinibatchWriter.stackInputs(examples, channels);
        return net.output(stacked.features(), stacked.mask(), null);
    }

    public static byte[] serialize(MultiLayerNetwork network) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ModelSerializer.writeModel(network, bytes, false);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each member's network as {@link #serialize(MultiLayerNetwork)} writes it, in a list a broadcast can ship. */
    public static ArrayList<byte[]> serialize(Ensemble ensemble) {
        ArrayList<byte[]> out = new ArrayList<>(ensemble.size());
        for (MultiLayerNetwork member : ensemble.members()) out.add(serialize(member));
        return out;
    }

    /** The networks {@link #serialize(Ensemble)} wrote. */
    public static Ensemble deserialize(List<byte[]> members) {
        List<MultiLayerNetwork> networks = new ArrayList<>(members.size());
        for (byte[] bytes : members) networks.add(deserialize(bytes));
        return new Ensemble(networks);
    }

    public static MultiLayerNetwork deserialize(byte[] bytes) {
        try {
            return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Groups an iterator into batches of {@link #BATCH} and expands each batch into its outputs, lazily. */
    public static final class Batches<T, R> implements Iterator<R> {
        private final Iterator<? extends T> in;
        private final java.util.function.Function<List<T>, List<R>> score;
        private Iterator<R> current = java.util.Collections.emptyIterator();

        public Batches(Iterator<? extends T> in, java.util.function.Function<List<T>, List<R>> score) {
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
