package io.sparklstm.prep.uea;

import io.sparklstm.model.Task;
import io.sparklstm.model.data.Preparation;
import io.sparklstm.prep.DatasetKindSupport;
import io.sparklstm.prep.PrepareInputs;
import io.sparklstm.prep.PreparedExamples;
import io.sparklstm.prep.RecordedSetting;
import io.sparklstm.prep.ScoringCases;
import io.sparklstm.prep.SequenceInputs;
import io.sparklstm.prep.SettingComparison;
import io.sparklstm.prep.config.DatasetKind;
import io.sparklstm.prep.config.PrepareConfig;
import io.sparklstm.prep.io.InputFiles;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** {@code dataset.kind = ts}: cases of sktime/UEA {@code .ts} files, classified ({@link TsPreparer}). */
public final class TsKind implements DatasetKindSupport {

    @Override
    public DatasetKind kind() {
        return DatasetKind.TS;
    }

    @Override
    public List<Class<?>> serializedTypes() {
        return TsPreparer.serializedTypes();
    }

    /** The {@code ts.testPath} files, when given, are the test split; the input is then train and validation. */
    @Override
    public PreparedExamples prepare(JavaSparkContext sc, PrepareConfig config, PrepareInputs inputs) {
        return TsPreparer.prepare(sc, config, inputs.files(), inputs.testFiles().orElse(null));
    }

    @Override
    public String splitContents(long rows, PrepareConfig config) {
        return rows + " cases assigned to it";
    }

    @Override
    public String place(String entity, long position, List<String> paths) {
        return DatasetKindSupport.fileAndLine(position, paths);
    }

    @Override
    public Optional<Task> scoredTask() {
        return Optional.of(Task.CLASSIFICATION);
    }

    /** The files' channels must be the model's source channels (its inputs less the statistics made of them). */
    @Override
    public ScoringCases scoringCases(JavaSparkContext sc, PrepareConfig config, InputFiles files, Preparation model,
                                     boolean lastOnly) {
        int channels = SequenceInputs.of(config).sourceChannels(model.featureNames().size());
        return new ScoringCases.Sequences(TsPreparer.cases(sc, config, files, model.classNames(), channels));
    }

    /** What is made of each case comes from predict's configuration; the channels from the files' header. */
    @Override
    public List<SettingComparison> appliedSettings(Preparation model, PrepareConfig config,
                                                   Function<String, Optional<String>> recorded) {
        return SequenceInputs.appliedSettings(config, recorded);
    }

    @Override
    public List<RecordedSetting> recordedSettings() {
        return SequenceInputs.RECORDED_SETTINGS;
    }

    @Override
    public String expectedInput(Preparation model, PrepareConfig config) {
        return "this model classifies cases of sktime/UEA .ts files with " + model.featureNames().size()
                + " dimensions and @classLabel " + model.classNames();
    }
}
