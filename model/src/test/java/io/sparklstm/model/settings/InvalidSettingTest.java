package io.sparklstm.model.settings;

import io.sparklstm.model.CellType;
import io.sparklstm.model.ModelSpec;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InvalidSettingTest {

    @Test
    void aProblemStartsWithTheKeyAndSaysWhatWouldWork() {
        assertEquals("training.workers = -2 is invalid: expected >= 0",
                InvalidSetting.message("training.workers", -2, ">= 0"));
        assertEquals("input.delimiter = \";;\" is invalid: expected a single character",
                InvalidSetting.message("input.delimiter", InvalidSetting.quoted(";;"), "a single character"));
    }

    @Test
    void textIsQuotedAndEverythingElseIsAsJavaPrintsIt() {
        assertEquals("\"a b\"", InvalidSetting.quoted("a b"));
        assertEquals("0.5", InvalidSetting.quoted(0.5));
        assertEquals("[1, 2]", InvalidSetting.quoted(List.of(1, 2)));
        assertEquals("null", InvalidSetting.quoted(null));
    }

    @Test
    void theModelSpecNamesItsKeyUnderModel() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ModelSpec(CellType.LSTM,
                List.of(8), List.of(), false, 0.0, 0.0, ModelSpec.Clipping.NONE, 1.0, ModelSpec.Updater.ADAM, 0.0, 1.0,
                0, 1L));
        assertEquals("model.learningRate = 0.0 is invalid: expected > 0", e.getMessage());
    }
}
