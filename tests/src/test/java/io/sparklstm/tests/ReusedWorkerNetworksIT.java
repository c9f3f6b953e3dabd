package io.sparklstm.tests;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparklstm.jobs.cli.Main;
import io.sparklstm.model.bundle.LocalBundleStore;
import io.sparklstm.model.bundle.ModelBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Executors that keep their networks between averaging rounds train the same model as dl4j-spark's worker, which
 * rebuilds them every round: two workers (their sum does not depend on which finishes first), a fixed seed, Adam
 * (whose bias correction reads the iteration count), a learning rate that changes each epoch (a new configuration,
 * so new networks), dl4j-spark's statistics on (the default), and more rounds than workers.
 */
class ReusedWorkerNetworksIT {

    @Test
    void reusedNetworksGiveTheSameParametersAndLossesAsRebuiltOnes(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("data");
        assertEquals(0, Main.execute(Repo.args("prepare", "--conf", conf(),
                "--set", "input.path=" + Repo.data("synthetic_control/synthetic_control.data"),
                "--set", "prepare.minibatchSize=16", "--output", data.toString())));
        Path reused = train(data, dir.resolve("reused"), true);
        Path rebuilt = train(data, dir.resolve("rebuilt"), false);

        List<JsonNode> a = Repo.epochs(reused);
        List<JsonNode> b = Repo.epochs(rebuilt);
        assertEquals(2, a.size());
        for (int e = 0; e < a.size(); e++) {
            for (String field : List.of("trainLoss", "trainExamples", "learningRate")) {
                assertEquals(b.get(e).get(field), a.get(e).get(field), "epoch " + (e + 1) + " " + field);
            }
            assertEquals(b.get(e).get("validation"), a.get(e).get("validation"), "epoch " + (e + 1) + " validation");
        }
        assertTrue(a.get(1).get("learningRate").asDouble() != a.get(0).get("learningRate").asDouble(),
                "the learning rate changes between the epochs: " + a);
        ModelBundle x = ModelBundle.readFrom(new LocalBundleStore(reused.resolve("model")));
        ModelBundle y = ModelBundle.readFrom(new LocalBundleStore(rebuilt.resolve("model")));
        assertEquals(y.network().params(), x.network().params());
        assertEquals(y.network().getUpdater().getStateViewArray(), x.network().getUpdater().getStateViewArray());
    }

    private static String conf() {
        return Repo.conf("datasets/synthetic-control.conf").toString();
    }

    private static Path train(Path data, Path run, boolean reuse) {
        assertEquals(0, Main.execute(Repo.args("train", "--conf", conf(), "--set", "training.epochs=2",
                "--set", "model.layers=[8]", "--set", "model.updater=adam", "--set", "model.dropout=0",
                "--set", "model.lrDecayPerEpoch=0.5",
                "--set", "training.workers=2", "--set", "training.averagingFrequency=2",
                "--set", "training.keepBest=false", "--set", "training.reuseWorkerNetworks=" + reuse,
                "--data", data.toString(), "--output", run.toString())));
        return run;
    }
}
