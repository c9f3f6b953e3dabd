package io.sparklstm.tests;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparklstm.jobs.cli.Main;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Training runs that end otherwise than by running all their epochs: early stopping, divergence, a killed driver. */
class TrainingRunIT {

    @TempDir
    static Path shared;
    private static Path data;

    @BeforeAll
    static void prepareOnce() {
        data = shared.resolve("data");
        assertEquals(0, Main.execute(Repo.args("prepare", "--conf", conf(),
                "--set", "input.path=" + Repo.data("synthetic_control/synthetic_control.data"),
                "--output", data.toString())));
    }

    private static String conf() {
        return Repo.conf("datasets/synthetic-control.conf").toString();
    }

    @Test
    void earlyStoppingEndsAfterPatienceAndKeepsTheBestEpoch(@TempDir Path dir) throws IOException {
        Path run = dir.resolve("run");
        // No epoch can beat the first by 0.5 accuracy, so training stops after patience = 1 more epoch.
        assertEquals(0, Main.execute(Repo.args("train", "--conf", conf(), "--set", "training.epochs=30",
                "--set", "training.earlyStopping.patience=1", "--set", "training.earlyStopping.minDelta=0.5",
                "--set", "training.earlyStopping.metric=accuracy",
                "--data", data.toString(), "--output", run.toString())));
        assertEquals(2, Repo.epochs(run).size());
        JsonNode training = Repo.json(run.resolve("summary.json")).get("training");
        assertTrue(training.get("stoppedEarly").asBoolean());
        assertEquals(1, training.get("bestEpoch").asInt());
        assertEquals(1, training.get("selectedEpoch").asInt());
        assertEquals("accuracy", training.get("selectionMetric").asText());
        assertTrue(Files.exists(run.resolve("checkpoints/best/bundle.json")));
        assertTrue(Files.exists(run.resolve("checkpoints/epoch-0002/network.zip")));
        assertFalse(Files.exists(run.resolve("checkpoints/epoch-0001")), "only the newest epoch checkpoint stays");
    }

    private static org.nd4j.linalg.api.ndarray.INDArray params(Path bundle) throws IOException {
        return io.sparklstm.model.bundle.ModelBundle.readFrom(new io.sparklstm.model.bundle.LocalBundleStore(bundle))
                .network().params();
    }

    /**
     * With training.averageLastEpochs = 2, the model of a 3-epoch run holds the mean of epoch 2's parameters (a
     * 2-epoch run's, training being deterministic) and epoch 3's (its last checkpoint), and says so.
     */
    @Test
    void theModelHoldsTheMeanOfTheLastEpochsParameters(@TempDir Path dir) throws IOException {
        Path two = dir.resolve("two");
        Path averaged = dir.resolve("averaged");
        assertEquals(0, Main.execute(Repo.args("train", "--conf", conf(), "--set", "training.epochs=2",
                "--set", "training.keepBest=false", "--data", data.toString(), "--output", two.toString())));
        assertEquals(0, Main.execute(Repo.args("train", "--conf", conf(), "--set", "training.epochs=3",
                "--set", "training.keepBest=false", "--set", "training.averageLastEpochs=2",
                "--data", data.toString(), "--output", averaged.toString())));
        org.nd4j.linalg.api.ndarray.INDArray epoch2 = params(two.resolve("model"));
        org.nd4j.linalg.api.ndarray.INDArray epoch3 = params(averaged.resolve("checkpoints/epoch-0003"));
        org.nd4j.linalg.api.ndarray.INDArray model = params(averaged.resolve("model"));
        assertTrue(epoch3.sub(epoch2).norm2Number().doubleValue() > 1e-3, "epochs 2 and 3 differ");
        assertTrue(epoch2.add(epoch3).divi(2).equalsWithEps(model, 1e-5), "the model is the mean of epochs 2 and 3");
        assertEquals(2, Repo.json(averaged.resolve("summary.json")).get("training").get("averagedEpochs").asInt());
    }

    @Test
    void aDivergingRunExitsWithFourAndWritesNoModel(@TempDir Path dir) throws IOException {
        // A regression network under plain SGD with an absurd learning rate overflows to infinity and NaN.
        Path slice = Repo.etth1Head(dir, 600);
        Path out = dir.resolve("out");
        Path run = out.resolve("run");
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(err, true), Repo.args("pipeline",
                "--conf", Repo.conf("datasets/etth1.conf").toString(), "--set", "input.path=" + slice,
                "--set", "split.trainEnd=", "--set", "split.validationEnd=", "--set", "split.testEnd=",
                "--set", "timeseries.windowSteps=12", "--set", "timeseries.horizonSteps=4",
                "--set", "model.layers=[8]", "--set", "training.epochs=3", "--set", "model.updater=sgd",
                "--set", "model.learningRate=1e20", "--set", "model.clipping=none", "--output", out.toString()));
        assertEquals(4, code, err.toString());
        assertTrue(err.toString().contains("training diverged in epoch"), err.toString());
        assertFalse(Files.exists(run.resolve("model")), "a diverged run leaves no model that looks complete");
        assertTrue(Files.exists(run.resolve("metrics.jsonl")), "the diverging epoch is on record");
    }

    /** A secret Spark property set for the job (harmless in local mode): it must never be saved. */
    private static final String SECRET_KEY = "spark.conf.\"spark.hadoop.fs.s3a.secret.key\"";
    private static final String SECRET = "s3a-secret-of-the-killed-run";

    /**
     * Runs are deterministic (seeded model, data order and averaging), so a run killed after its second checkpoint
     * and resumed must end exactly where the same run uninterrupted ends: every epoch's loss and validation
     * metrics, and the final metrics of every split, digit for digit.
     */
    @Test
    void aKilledTrainingProcessResumesToTheSameLossesAsAnUninterruptedRun(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        List<String> command = new ArrayList<>(List.of(Repo.root().resolve("submit-scripts/spark-lstm").toString()));
        command.addAll(List.of(Repo.args("train", "--conf", conf(), "--set", "training.epochs=6",
                "--set", SECRET_KEY + "=" + SECRET, "--data", data.toString(), "--output", run.toString())));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("first-attempt.log").toFile());
        pb.environment().remove("SPARK_HOME");
        pb.environment().put("SPARK_LSTM_DRIVER_MEMORY", "1g");
        Process driver = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (!Files.exists(run.resolve("checkpoints/epoch-0002/bundle.json"))) {
                if (!driver.isAlive()) fail("the training process ended early: " + Files.readString(dir.resolve("first-attempt.log")));
                if (System.nanoTime() > deadline) fail("no second checkpoint within 180 s");
                Thread.sleep(200);
            }
        } finally {
            driver.descendants().forEach(ProcessHandle::destroyForcibly);
            driver.destroyForcibly(); // SIGKILL: no shutdown hooks, like a lost driver
            driver.waitFor(30, TimeUnit.SECONDS);
        }
        assertFalse(Files.exists(run.resolve("summary.json")), "the killed run did not finish");
        int done = Repo.epochs(run).size();
        assertTrue(done >= 2 && done < 6, "killed after " + done + " epochs");

        // the saved configuration holds the secret redacted: a resume must be given it again
        String saved = Files.readString(run.resolve("config.conf"));
        assertFalse(saved.contains(SECRET), saved);
        StringWriter err = new StringWriter();
        assertEquals(2, Main.execute(new PrintWriter(err, true), Repo.args("train", "--resume", run.toString())));
        assertTrue(err.toString().contains(SECRET_KEY + ": the secret was redacted"), err.toString());

        assertEquals(0, Main.execute(Repo.args("train", "--resume", run.toString(), "--set", SECRET_KEY + "=" + SECRET)));
        List<JsonNode> epochs = Repo.epochs(run);
        assertEquals(6, epochs.size());
        for (int i = 0; i < 6; i++) {
            assertEquals(i + 1, epochs.get(i).get("epoch").asInt());
        }
        JsonNode summary = Repo.json(run.resolve("summary.json"));
        assertTrue(summary.at("/training/resumedAfterEpoch").asInt() >= 2);
        assertEquals(6, summary.at("/training/epochs").asInt());

        Path reference = dir.resolve("uninterrupted");
        assertEquals(0, Main.execute(Repo.args("train", "--conf", conf(), "--set", "training.epochs=6",
                "--data", data.toString(), "--output", reference.toString())));
        List<JsonNode> expected = Repo.epochs(reference);
        for (int i = 0; i < 6; i++) {
            for (String field : List.of("trainLoss", "trainExamples", "learningRate", "validation")) {
                assertEquals(expected.get(i).get(field), epochs.get(i).get(field), "epoch " + (i + 1) + " " + field);
            }
        }
        JsonNode uninterrupted = Repo.json(reference.resolve("summary.json"));
        for (String split : List.of("train", "validation", "test")) {
            assertEquals(uninterrupted.get(split), summary.get(split), split);
        }
    }
}
