package io.sparklstm.prep.text;

import io.sparklstm.model.data.DatasetManifest;
import io.sparklstm.model.data.Preparation;
import io.sparklstm.prep.DatasetKindSupport;
import io.sparklstm.prep.PrepareInputs;
import io.sparklstm.prep.PreparedExamples;
import io.sparklstm.prep.RecordedSetting;
import io.sparklstm.prep.SettingComparison;
import io.sparklstm.prep.config.DatasetKind;
import io.sparklstm.prep.config.PrepareConfig;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.List;

/**
 * {@code dataset.kind = text}: character-level text for next-character prediction ({@link TextPreparer}).
 * {@code predict} scores none of its models ({@code sample} generates text from them).
 */
public final class TextKind implements DatasetKindSupport {

    @Override
    public DatasetKind kind() {
        return DatasetKind.TEXT;
    }

    @Override
    public List<Class<?>> serializedTypes() {
        return TextPreparer.serializedTypes();
    }

    @Override
    public PreparedExamples prepare(JavaSparkContext sc, PrepareConfig config, PrepareInputs inputs) {
        return TextPreparer.prepare(sc, config, inputs.files());
    }

    @Override
    public String splitContents(long rows, PrepareConfig config) {
        return rows + " characters assigned to it; a sequence needs at least 2";
    }

    @Override
    public String place(String entity, long position, List<String> paths) {
        return "the sequence from character " + position;
    }

    @Override
    public List<RecordedSetting> recordedSettings() {
        return List.of(RecordedSetting.choice("text.unseenCharacters"));
    }

    @Override
    public List<SettingComparison> shapeSettings(Preparation model, DatasetManifest data) {
        return List.of(new SettingComparison("text.sequenceSteps", data.windowSteps(), model.windowSteps(),
                data.windowSteps() == model.windowSteps()));
    }

    @Override
    public String expectedInput(Preparation model, PrepareConfig config) {
        return "this model reads text";
    }
}
