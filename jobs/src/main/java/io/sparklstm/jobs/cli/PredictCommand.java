package io.sparklstm.jobs.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.sparklstm.jobs.config.ConfigException;
import io.sparklstm.jobs.config.ConfigLoader;
import io.sparklstm.jobs.config.JobConfig;
import io.sparklstm.jobs.predict.PredictJob;
import io.sparklstm.jobs.predict.PredictionSummary;
import io.sparklstm.jobs.registry.ModelLocation;
import io.sparklstm.model.bundle.ModelBundle;
import org.apache.hadoop.conf.Configuration;
import io.sparklstm.prep.config.Frequency;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** {@code predict}: batch scoring of new raw data with a model bundle. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Score new raw data on any Hadoop filesystem with a model bundle, the data prepared exactly "
                + "as the model's training data was (the bundle's columns, window, missing-value policies, "
                + "normalizer and vocabularies). A forecasting model (a time-series table, CSV or Parquet) gets "
                + "a forecast for every horizon step, on the original scale, for each window, keyed by series, "
                + "timestamp and step. A sequence classifier (sequences or .ts lines) gets the class and the "
                + "class probabilities of each sequence, keyed by file and line; unlabelled sequence lines need "
                + "--set sequences.label=none. Distributed: nothing but counts comes back to the driver.",
                "The model's own preparation settings are the base; --conf files and --set override what may "
                        + "differ for new data (input.format, input.delimiter, missing-value policies, ...), "
                        + "not what the model was built on (window, columns, targets).",
                "Exit codes: 0 done, 2 usage or configuration, 3 the data does not fit the model (a missing "
                        + "column, another type, a malformed row), 1 other failures."})
final class PredictCommand extends JobCommand {

    /** Settings the network was built on: new data must be prepared with the very same. */
    static final List<String> MODEL_KEYS = List.of("dataset.kind", "timeseries.windowSteps",
            "timeseries.horizonSteps", "timeseries.targetOffset", "timeseries.featureColumns",
            "timeseries.targetColumns", "timeseries.categoricalColumns", "timeseries.entityColumn",
            "prepare.normalize", "prepare.perSequence", "prepare.sequenceStats", "sequences.channels",
            "sequences.classNames",
            "timeseries.frequency", "timeseries.timestampColumn", "timeseries.season");

    /** Settings whose {@code auto} the preparation resolved and recorded: new data takes the recorded value. */
    static final List<String> RESOLVED_KEYS = List.of("timeseries.frequency", "timeseries.season",
            "timeseries.targetOffset");

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Model bundle directory, a training run directory (its model/), or a registry model "
                    + "directory (<registry>/<name>: the version CURRENT names).")
    String model;

    @Option(names = "--input", required = true, paramLabel = "PATH",
            description = "New raw data: a file, directory or glob on any Hadoop filesystem (sets input.path).")
    String input;

    @Mixin
    OutputOptions output;

    @Option(names = "--format", split = ",", paramLabel = "FORMAT", defaultValue = "parquet",
            description = "parquet, csv or both (parquet,csv); default: ${DEFAULT-VALUE}.")
    List<String> formats = new ArrayList<>();

    @Option(names = "--last-only",
            description = "Forecasting: only the forecast from each series' last row (default: from every row that "
                    + "has a full window of rows before it).")
    boolean lastOnly;

    private EnumSet<PredictJob.Format> chosen;

    @Override
    void validate(JobConfig config) {
        chosen = EnumSet.noneOf(PredictJob.Format.class);
        for (String f : formats) {
            try {
                chosen.add(PredictJob.Format.valueOf(f.trim().toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("--format " + f + " is invalid: expected parquet, csv or parquet,csv");
            }
        }
    }

    @Override
    void checkOutputs(JobConfig config, Configuration hadoop) {
        PredictJob.outputRequest(qualify(hadoop, output.output), output.overwrite, input, model).check(hadoop);
    }

    @Override
    int run(JavaSparkContext sc, JobConfig config) {
        ModelBundle bundle = ModelLocation.loadBundle(model, sc.hadoopConfiguration());
        JobConfig data = dataConfig(bundle.info().preparation().settings(), common.conf, common.overrides, input);
        String out = qualify(sc, output.output);
        PredictionSummary summary = PredictJob.run(sc, bundle, model, data.prepare(), out, output.overwrite, chosen,
                lastOnly);
        System.out.println("predictions: " + summary.outputs());
        summary.forecasts().ifPresent(f -> System.out.printf("  %d windows scored from %d rows of %d series; %d "
                + "windows not scored (missing values)%n", f.windowsScored(), f.rowsRead(), f.series(),
                f.windowsDroppedMissing()));
        summary.classes().ifPresent(c -> System.out.printf("  %d cases scored, %d of them with a label%n",
                c.casesScored(), c.labelledCases()));
        return ExitCodes.OK;
    }

    /**
     * The model's preparation settings, with the command line's files and overrides and the input path on top;
     * a setting the network was built on that the command line changes is a configuration error.
     */
    static JobConfig dataConfig(Map<String, Object> modelSettings, List<java.io.File> files, List<String> overrides,
                                String inputPath) {
        if (modelSettings.isEmpty()) {
            throw new ConfigException("the model bundle records no preparation settings (it predates them); "
                    + "it cannot prepare new data");
        }
        Map<String, Object> settings = withFrequency(modelSettings);
        // new data is not split: the model's test file is no longer set apart, and may well be what is scored
        Config merged = ConfigLoader.loadOver(settings, files, overrides)
                .withValue("input.path", ConfigValueFactory.fromAnyRef(inputPath))
                .withValue("ts.testPath", ConfigValueFactory.fromAnyRef(""));
        Config trained = ConfigLoader.loadOver(settings, List.of(), List.of());
        // what the model's preparation found for "auto" is what new data gets: a dataset config saying auto
        // (as the shipped ones do by default) means the model's value
        for (String key : RESOLVED_KEYS) {
            if ("auto".equalsIgnoreCase(String.valueOf(merged.getValue(key).unwrapped()).trim())) {
                merged = merged.withValue(key, trained.getValue(key));
            }
        }
        List<String> problems = new ArrayList<>();
        for (String key : MODEL_KEYS) {
            Object was = trained.getValue(key).unwrapped();
            Object now = merged.getValue(key).unwrapped();
            if (key.equals("timeseries.frequency") && sameFrequency(was, now)) continue;
            if (!Objects.equals(was, now)) {
                problems.add(key + " = " + merged.getValue(key).render() + " differs from the model's "
                        + trained.getValue(key).render() + ": the network was built on it");
            }
        }
        if (!problems.isEmpty()) throw new ConfigException(problems);
        return JobConfig.from(merged);
    }

    /**
     * The settings with the time axis the model was trained on: the step its manifest recorded, or, for a model
     * prepared before {@code timeseries.frequency} existed, none (its rows were taken as consecutive steps).
     */
    static Map<String, Object> withFrequency(Map<String, Object> modelSettings) {
        if (!(modelSettings.get("timeseries") instanceof Map<?, ?> ts) || ts.containsKey("frequency")) {
            return modelSettings;
        }
        Map<String, Object> section = new java.util.TreeMap<>();
        ts.forEach((k, v) -> section.put(String.valueOf(k), v));
        section.put("frequency", "none");
        Map<String, Object> out = new java.util.TreeMap<>(modelSettings);
        out.put("timeseries", section);
        return out;
    }

    private static boolean sameFrequency(Object was, Object now) {
        try {
            return Frequency.parse(String.valueOf(was)).equals(Frequency.parse(String.valueOf(now)));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
