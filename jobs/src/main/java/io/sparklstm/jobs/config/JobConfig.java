package io.sparklstm.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import io.sparklstm.model.CellType;
import io.sparklstm.model.ModelSpec;
import io.sparklstm.prep.config.DatasetKind;
import io.sparklstm.prep.config.Duplicates;
import io.sparklstm.prep.config.Frequency;
import io.sparklstm.prep.config.InputConfig;
import io.sparklstm.prep.config.MissingConfig;
import io.sparklstm.prep.config.PrepareConfig;
import io.sparklstm.prep.config.SequencesConfig;
import io.sparklstm.prep.config.SplitConfig;
import io.sparklstm.prep.config.TextConfig;
import io.sparklstm.prep.config.TimeSeriesConfig;
import io.sparklstm.prep.config.TsConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The whole configuration of a job, one record per concern, each checked when built. Every problem found
 * is reported at once, with its key.
 */
public record JobConfig(PrepareConfig prepare, ModelSpec model, TrainingConfig training, SparkSettings spark,
                        Config raw) {

    public static JobConfig from(Config c) {
        List<String> problems = new ArrayList<>();
        InputConfig input = build(problems, () -> new InputConfig(c.getString("input.path"),
                c.getString("input.delimiter"), c.getBoolean("input.header"), c.getString("input.encoding"),
                enumOf(InputConfig.Format.class, c, "input.format"), c.getStringList("input.naTokens"),
                c.getDoubleList("input.sentinels"), enumOf(InputConfig.BadRecords.class, c, "input.onBadRecord")));
        TimeSeriesConfig ts = build(problems, () -> new TimeSeriesConfig(c.getString("timeseries.timestampColumn"),
                c.getString("timeseries.timestampFormat"), c.getStringList("timeseries.featureColumns"),
                c.getStringList("timeseries.targetColumns"), c.getInt("timeseries.windowSteps"),
                c.getInt("timeseries.horizonSteps"), c.getInt("timeseries.strideSteps"),
                enumOf(TimeSeriesConfig.TargetOffset.class, c, "timeseries.targetOffset"),
                c.getString("timeseries.entityColumn"), c.getStringList("timeseries.timestampColumns"),
                c.getStringList("timeseries.categoricalColumns"),
                enumOf(TimeSeriesConfig.UnseenCategory.class, c, "timeseries.unseenCategory"), missing(c),
                Frequency.parse(c.getString("timeseries.frequency")),
                enumOf(Duplicates.class, c, "timeseries.duplicates"),
                TimeSeriesConfig.parseSeason(c.getString("timeseries.season"))));
        SequencesConfig seq = build(problems, () -> new SequencesConfig(c.getString("sequences.separator"),
                c.getInt("sequences.channels"), enumOf(SequencesConfig.Label.class, c, "sequences.label"),
                c.getInt("sequences.rowsPerClass"), c.getStringList("sequences.classNames")));
        SplitConfig split = build(problems, () -> new SplitConfig(enumOf(SplitConfig.Method.class, c, "split.method"),
                c.getDoubleList("split.fractions"), c.getString("split.trainEnd"), c.getString("split.validationEnd"),
                c.getString("split.testEnd"),
                enumOf(SplitConfig.DuplicatesAcrossSplits.class, c, "split.duplicatesAcrossSplits")));
        TsConfig tsFiles = build(problems, () -> new TsConfig(c.getString("ts.testPath")));
        TextConfig text = build(problems, () -> new TextConfig(c.getInt("text.sequenceSteps"),
                c.getInt("text.strideSteps"), enumOf(TextConfig.UnseenCharacters.class, c, "text.unseenCharacters")));
        PrepareConfig prepare = null;
        if (problems.isEmpty()) {
            prepare = build(problems, () -> new PrepareConfig(enumOf(DatasetKind.class, c, "dataset.kind"), input, ts,
                    seq, tsFiles, split, c.getBoolean("prepare.normalize"), c.getInt("prepare.minibatchSize"),
                    c.getLong("prepare.seed"), text));
        }
        ModelSpec model = build(problems, () -> new ModelSpec(enumOf(CellType.class, c, "model.cell"),
                c.getIntList("model.layers"), c.getIntList("model.denseLayers"), c.getBoolean("model.bidirectional"),
                c.getDouble("model.dropout"), c.getDouble("model.l2"),
                enumOf(ModelSpec.Clipping.class, c, "model.clipping"), c.getDouble("model.clipThreshold"),
                enumOf(ModelSpec.Updater.class, c, "model.updater"), c.getDouble("model.learningRate"),
                c.getDouble("model.lrDecayPerEpoch"), c.getInt("model.tbpttSteps"), c.getLong("model.seed"),
                enumOf(ModelSpec.Kernel.class, c, "model.kernel")));
        TrainingConfig training = build(problems, () -> new TrainingConfig(c.getInt("training.epochs"),
                c.getInt("training.batchSizePerWorker"), c.getInt("training.averagingFrequency"),
                c.getInt("training.workerPrefetchBatches"), c.getBoolean("training.saveUpdater"),
                c.getInt("training.workers"), c.getString("training.repartition"),
                c.getBoolean("training.collectTrainingStats"), c.getInt("training.evalBatchSize"),
                c.getBoolean("training.keepBest"), c.getInt("training.earlyStopping.patience"),
                c.getDouble("training.earlyStopping.minDelta"), c.getString("training.earlyStopping.metric"),
                c.getString("training.progress")));
        SparkSettings spark = build(problems, () -> new SparkSettings(c.getString("spark.master"),
                c.getString("spark.appName"), sparkConf(c.getConfig("spark.conf"))));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new JobConfig(prepare, model, training, spark, c);
    }

    /** The resolved configuration as HOCON, for writing next to every output. */
    public String render() {
        return raw.root().render(ConfigRenderOptions.defaults().setOriginComments(false).setComments(false)
                .setJson(false).setFormatted(true));
    }

    /** The resolved preparation settings ({@code dataset}, {@code input}, ... {@code prepare}), kept in manifests. */
    public Map<String, Object> prepareSettings() {
        return sections("dataset", "input", "timeseries", "sequences", "ts", "text", "split", "prepare");
    }

    /** The resolved configuration of the given sections as a map, for manifests and bundles. */
    public Map<String, Object> sections(String... names) {
        Map<String, Object> out = new TreeMap<>();
        for (String name : names) {
            out.put(name, raw.getConfig(name).root().unwrapped());
        }
        return out;
    }

    private static <T> T build(List<String> problems, Supplier<T> builder) {
        try {
            return builder.get();
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        } catch (com.typesafe.config.ConfigException e) {
            problems.add(e.getMessage());
        }
        return null;
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, Config c, String key) {
        String value = c.getString(key);
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " = \"" + value + "\" is invalid: expected one of "
                    + Arrays.stream(type.getEnumConstants()).map(v -> v.name().toLowerCase(Locale.ROOT)).toList());
        }
    }

    /** {@code timeseries.missing}: a default policy and per-column overrides keyed by column name. */
    private static MissingConfig missing(Config c) {
        MissingConfig.Policy defaultPolicy = enumOf(MissingConfig.Policy.class, c, "timeseries.missing.default");
        Map<String, MissingConfig.Policy> columns = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : c.getConfig("timeseries.missing.columns").root().entrySet()) {
            String key = "timeseries.missing.columns.\"" + e.getKey() + "\"";
            Object value = e.getValue().unwrapped();
            if (!(value instanceof String text)) {
                throw new IllegalArgumentException(key + " = " + e.getValue().render() + " is invalid: expected one of "
                        + policyNames());
            }
            try {
                columns.put(e.getKey(), MissingConfig.Policy.valueOf(text.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(key + " = \"" + text + "\" is invalid: expected one of "
                        + policyNames());
            }
        }
        return new MissingConfig(defaultPolicy, columns);
    }

    private static List<String> policyNames() {
        return Arrays.stream(MissingConfig.Policy.values()).map(v -> v.name().toLowerCase(Locale.ROOT)).toList();
    }

    private static Map<String, String> sparkConf(Config conf) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : conf.entrySet()) {
            String key = e.getKey().replace("\"", "");
            out.put(key, String.valueOf(e.getValue().unwrapped()));
        }
        return out;
    }
}
