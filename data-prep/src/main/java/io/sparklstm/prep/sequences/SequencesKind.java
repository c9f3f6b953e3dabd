package io.sparklstm.prep.sequences;

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

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** {@code dataset.kind = sequences}: one labelled sequence per line, classified ({@link SequencesPreparer}). */
public final class SequencesKind implements DatasetKindSupport {

    @Override
    public DatasetKind kind() {
        return DatasetKind.SEQUENCES;
    }

    @Override
    public List<Class<?>> serializedTypes() {
        return SequencesPreparer.serializedTypes();
    }

    @Override
    public PreparedExamples prepare(JavaSparkContext sc, PrepareConfig config, PrepareInputs inputs) {
        return SequencesPreparer.prepare(sc, config, inputs.files());
    }

    @Override
    public String splitContents(long rows, PrepareConfig config) {
        return rows + " sequences assigned to it";
    }

    @Override
    public String place(String entity, long position, List<String> paths) {
        return DatasetKindSupport.fileAndLine(position, paths);
    }

    @Override
    public Optional<Task> scoredTask() {
        return Optional.of(Task.CLASSIFICATION);
    }

    @Override
    public ScoringCases scoringCases(JavaSparkContext sc, PrepareConfig config, InputFiles files, Preparation model,
                                     boolean lastOnly) {
        return new ScoringCases.Sequences(SequencesPreparer.cases(sc, config, files));
    }

    /** What is made of each sequence and the number of channels of a line come from predict's configuration. */
    @Override
    public List<SettingComparison> appliedSettings(Preparation model, PrepareConfig config,
                                                   Function<String, Optional<String>> recorded) {
        List<SettingComparison> out = new ArrayList<>(SequenceInputs.appliedSettings(config, recorded));
        SequenceInputs inputs = SequenceInputs.of(config);
        int channels = config.sequences().channels();
        out.add(new SettingComparison("sequences.channels", channels,
                inputs.sourceChannels(model.featureNames().size()),
                inputs.channels(channels) == model.featureNames().size()));
        return out;
    }

    @Override
    public List<RecordedSetting> recordedSettings() {
        return SequenceInputs.RECORDED_SETTINGS;
    }

    @Override
    public String expectedInput(Preparation model, PrepareConfig config) {
        return "this model classifies labelled sequences (dataset.kind = sequences): one per line, "
                + config.sequences().channels() + " channel(s) of " + model.windowSteps()
                + " values separated by /" + config.sequences().separator() + "/, into " + model.classNames();
    }
}
