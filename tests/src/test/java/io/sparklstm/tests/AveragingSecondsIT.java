package io.sparklstm.tests;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparklstm.jobs.cli.Main;
import io.sparklstm.model.bundle.LocalBundleStore;
import io.sparklstm.model.bundle.ModelBundle;
import io.sparklstm.model.data.DatasetManifest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * training.averagingSeconds sizes each averaging round from the measured fit time and still fits every example
 * once per epoch. Periods far below and far above a minibatch's fit time make the sizes certain whatever the
 * machine's speed: one minibatch per worker every round, or the rest of the epoch in one round. Synthetic
 * control's 394 training sequences in 25 files of 16 (the last of 10), 2 workers: 13 minibatches per worker and
 * epoch.
 */
class AveragingSecondsIT {

    @TempDir
    static Path shared;
    private static Path data;
    private static long trainExamples;

    @BeforeAll
    static void prepareOnce() {
        data = shared.resolve("data");
        assertEquals(0, Main.execute(Repo.args("prepare", "--conf", conf(),
                "--set", "input.path=" + Repo.data("synthetic_control/synthetic_control.data"),
                "--set", "prepare.minibatchSize=16", "--output", data.toString())));
        try {
            trainExamples = Repo.json(data.resolve(DatasetManifest.FILE_NAME)).at("/splits/train/examples").asLong();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aPeriodShorterThanAMinibatchTrainsExactlyAsOneMinibatchPerRound(@TempDir Path dir) throws IOException {
        Path fixed = train(dir.resolve("fixed"), 1, "0");
        Path timed = train(dir.resolve("timed"), 1, "0.000001");
        List<JsonNode> a = Repo.epochs(fixed);
        List<JsonNode> b = Repo.epochs(timed);
        assertEquals(2, b.size());
        for (int e = 0; e < b.size(); e++) {
            assertFalse(a.get(e).has("averagingRounds"), "a fixed period records no rounds: " + a.get(e));
            JsonNode rounds = b.get(e).get("averagingRounds");
            assertEquals(13, rounds.size(), b.get(e).toString());
            long examples = 0;
            for (JsonNode r : rounds) {
                assertEquals(1, r.get("minibatchesPerWorker").asInt(), r.toString());
                examples += r.get("examples").asLong();
            }
            assertEquals(trainExamples, examples, "every example once in epoch " + (e + 1));
            assertEquals(trainExamples, b.get(e).get("trainExamples").asLong());
            assertEquals(a.get(e).get("trainLoss"), b.get(e).get("trainLoss"), "epoch " + (e + 1));
            assertEquals(a.get(e).get("validation"), b.get(e).get("validation"), "epoch " + (e + 1));
        }
        ModelBundle x = ModelBundle.readFrom(new LocalBundleStore(fixed.resolve("model")));
        ModelBundle y = ModelBundle.readFrom(new LocalBundleStore(timed.resolve("model")));
        assertEquals(x.network().params(), y.network().params());
        assertEquals(x.network().getUpdater().getStateViewArray(), y.network().getUpdater().getStateViewArray());
    }

    @Test
    void aPeriodLongerThanTheEpochTakesTheRestOfTheEpochAfterTheFirstRound(@TempDir Path dir) throws IOException {
        List<JsonNode> epochs = Repo.epochs(train(dir.resolve("long"), 2, "1000000"));
        // epoch 1: averagingFrequency (nothing measured yet), then the 21 files left: 11 per worker at most;
        // epoch 2: all 25 files, 13 per worker at most
        assertEquals(List.of(2, 11), sizes(epochs.get(0)));
        List<Long> first = examples(epochs.get(0));
        // 4 files, one of them perhaps the file of 10
        assertTrue(first.get(0) == 64 || first.get(0) == 58, first.toString());
        assertEquals(trainExamples, first.get(0) + first.get(1));
        assertEquals(List.of(13), sizes(epochs.get(1)));
        assertEquals(List.of(trainExamples), examples(epochs.get(1)));
    }

    private static String conf() {
        return Repo.conf("datasets/synthetic-control.conf").toString();
    }

    private static Path train(Path run, int averagingFrequency, String averagingSeconds) {
        assertEquals(0, Main.execute(Repo.args("train", "--conf", conf(), "--set", "training.epochs=2",
                "--set", "model.layers=[8]", "--set", "model.updater=adam", "--set", "model.dropout=0",
                "--set", "training.workers=2", "--set", "training.averagingFrequency=" + averagingFrequency,
                "--set", "training.averagingSeconds=" + averagingSeconds,
                "--set", "training.keepBest=false", "--data", data.toString(), "--output", run.toString())));
        return run;
    }

    private static List<Integer> sizes(JsonNode epoch) {
        List<Integer> out = new ArrayList<>();
        epoch.get("averagingRounds").forEach(r -> out.add(r.get("minibatchesPerWorker").asInt()));
        return out;
    }

    private static List<Long> examples(JsonNode epoch) {
        List<Long> out = new ArrayList<>();
        epoch.get("averagingRounds").forEach(r -> out.add(r.get("examples").asLong()));
        return out;
    }
}
