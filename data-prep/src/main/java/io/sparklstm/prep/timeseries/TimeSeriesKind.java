package io.sparklstm.prep.timeseries;

import io.sparklstm.model.Task;
import io.sparklstm.model.data.DatasetManifest;
import io.sparklstm.model.data.Preparation;
import io.sparklstm.prep.DatasetKindSupport;
import io.sparklstm.prep.PrepareInputs;
import io.sparklstm.prep.PreparedExamples;
import io.sparklstm.prep.RecordedSetting;
import io.sparklstm.prep.ScoringCases;
import io.sparklstm.prep.SettingComparison;
import io.sparklstm.prep.config.DatasetKind;
import io.sparklstm.prep.config.PrepareConfig;
import io.sparklstm.prep.config.TimeSeriesConfig;
import io.sparklstm.prep.io.InputFiles;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/** {@code dataset.kind = timeseries}: a table cut into windows for forecasting ({@link TimeSeriesPreparer}). */
public final class TimeSeriesKind implements DatasetKindSupport {

    @Override
    public DatasetKind kind() {
        return DatasetKind.TIMESERIES;
    }

    @Override
    public List<Class<?>> serializedTypes() {
        return TimeSeriesPreparer.serializedTypes();
    }

    @Override
    public PreparedExamples prepare(JavaSparkContext sc, PrepareConfig config, PrepareInputs inputs) {
        return TimeSeriesPreparer.prepare(sc, config, inputs.files(), inputs.reuse());
    }

    /** A model's normalizer and vocabularies apply to new rows of the same table (retrain, evaluate on new data). */
    @Override
    public boolean reusesPreparation() {
        return true;
    }

    @Override
    public String splitContents(long rows, PrepareConfig config) {
        return rows + " rows assigned to it; a window needs timeseries.windowSteps + "
                + "timeseries.horizonSteps = " + config.timeseries().spanSteps();
    }

    @Override
    public String place(String entity, long position, List<String> paths) {
        return "the window from row " + (position + 1) + " of the sorted table"
                + (entity.isEmpty() ? "" : " (series " + entity + ")");
    }

    @Override
    public Optional<Task> scoredTask() {
        return Optional.of(Task.FORECAST);
    }

    @Override
    public ScoringCases scoringCases(JavaSparkContext sc, PrepareConfig config, InputFiles files, Preparation model,
                                     boolean lastOnly) {
        return ForecastInputs.read(sc, config, files, model, lastOnly);
    }

    /** The window, the target offset and the series come from predict's configuration. */
    @Override
    public List<SettingComparison> appliedSettings(Preparation model, PrepareConfig config,
                                                   Function<String, Optional<String>> recorded) {
        TimeSeriesConfig ts = config.timeseries();
        List<SettingComparison> out = new ArrayList<>();
        out.add(new SettingComparison("timeseries.windowSteps", ts.windowSteps(), model.windowSteps(),
                ts.windowSteps() == model.windowSteps()));
        String offset = ts.targetOffset().name().toLowerCase(Locale.ROOT);
        recorded.apply("timeseries.targetOffset").ifPresent(m -> out.add(SettingComparison.text(
                "timeseries.targetOffset", offset, m, offset.equalsIgnoreCase(m.trim()))));
        recorded.apply("timeseries.entityColumn").ifPresent(m -> out.add(SettingComparison.text(
                "timeseries.entityColumn", ts.entityColumn(), m, ts.entityColumn().equals(m))));
        return out;
    }

    @Override
    public List<RecordedSetting> recordedSettings() {
        return List.of(RecordedSetting.choice("timeseries.targetOffset"), RecordedSetting.choice("timeseries.frequency"),
                RecordedSetting.choice("timeseries.duplicates"), RecordedSetting.choice("timeseries.missing"),
                RecordedSetting.choice("timeseries.season"),
                RecordedSetting.exact("timeseries.entityColumn"), RecordedSetting.exact("prepare.normalize"));
    }

    @Override
    public List<SettingComparison> shapeSettings(Preparation model, DatasetManifest data) {
        return List.of(new SettingComparison("timeseries.windowSteps", data.windowSteps(), model.windowSteps(),
                        data.windowSteps() == model.windowSteps()),
                new SettingComparison("timeseries.horizonSteps", data.horizonSteps(), model.horizonSteps(),
                        data.horizonSteps() == model.horizonSteps()));
    }

    @Override
    public String expectedInput(Preparation model, PrepareConfig config) {
        TimeSeriesConfig ts = config.timeseries();
        String time = ts.rowOrder() ? "rows in file order (no timestamp column)"
                : "timestamps in " + ts.timeColumns() + (ts.timestampColumns().isEmpty()
                ? " (format " + ts.timestampFormat() + ")" : "");
        return "this model forecasts a time-series table (" + config.input().format().name().toLowerCase(Locale.ROOT)
                + (config.input().header() ? " with a header" : "") + ") with " + time
                + (ts.hasEntities() ? ", series in column " + ts.entityColumn() : "")
                + " and the input channels " + model.featureNames();
    }
}
