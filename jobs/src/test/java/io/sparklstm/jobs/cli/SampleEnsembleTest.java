package io.sparklstm.jobs.cli;

import io.sparklstm.model.CellType;
import io.sparklstm.model.Ensemble;
import io.sparklstm.model.ModelSpec;
import io.sparklstm.model.NetworkFactory;
import io.sparklstm.model.Task;
import io.sparklstm.model.bundle.BundleInfo;
import io.sparklstm.model.bundle.LocalBundleStore;
import io.sparklstm.model.bundle.ModelBundle;
import io.sparklstm.model.bundle.Provenance;
import io.sparklstm.model.data.Preparation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code sample} steps one network's state: it refuses an ensemble of character models (no Spark). */
class SampleEnsembleTest {

    @Test
    void sampleRefusesAnEnsembleNamingTheSetting(@TempDir Path dir) throws Exception {
        ModelSpec spec = new ModelSpec(CellType.LSTM, List.of(4), List.of(), false, 0, 0, ModelSpec.Clipping.NONE, 1,
                ModelSpec.Updater.ADAM, 0.01, 1, 0, 5L, ModelSpec.Kernel.DL4J, List.of(), 0, 2);
        List<String> chars = List.of("a", "b", "c");
        Ensemble members = new Ensemble(List.of(
                NetworkFactory.network(spec.member(0), Task.STEP_CLASSIFICATION, 3, 3),
                NetworkFactory.network(spec.member(1), Task.STEP_CLASSIFICATION, 3, 3)));
        Preparation prep = new Preparation("text", Task.STEP_CLASSIFICATION, chars, List.of(), chars, 8, 0, null, "fp",
                Map.of());
        new ModelBundle(members, new BundleInfo(BundleInfo.ENSEMBLE_FORMAT_VERSION, spec, prep, Map.of(), Map.of(),
                Provenance.current("test", Map.of(), Map.of()))).writeTo(new LocalBundleStore(dir));

        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(err, true), "sample", "--model", dir.toString(), "--prime", "ab",
                "--length", "3");

        assertEquals(ExitCodes.USAGE, code, err.toString());
        assertTrue(err.toString().contains("ensemble of 2 networks (model.ensembleMembers)"), err.toString());
    }
}
