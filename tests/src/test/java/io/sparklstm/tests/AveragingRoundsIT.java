package io.sparklstm.tests;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparklstm.jobs.cli.Main;
import io.sparklstm.model.Json;
import io.sparklstm.model.data.DatasetManifest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every training example is fitted once per epoch whatever the worker's minibatch, the file minibatch and the
 * averaging frequency: minibatch files larger than a worker's share of an averaging round
 * (batchSizePerWorker x averagingFrequency examples) were cut short by dl4j-spark.
 */
class AveragingRoundsIT {

    @TempDir
    static Path shared;
    private static Path data;
    private static long trainExamples;

    /** Synthetic control in minibatch files of 128 (3 full files and one of 10 for the 394 training sequences). */
    @BeforeAll
    static void prepareOnce() throws IOException {
        data = shared.resolve("data");
        assertEquals(0, Main.execute(Repo.args("prepare", "--conf", conf(),
                "--set", "input.path=" + Repo.data("synthetic_control/synthetic_control.data"),
                "--set", "prepare.minibatchSize=128",
                "--output", data.toString())));
        trainExamples = Repo.json(data.resolve(DatasetManifest.FILE_NAME)).at("/splits/train/examples").asLong();
    }

    private static String conf() {
        return Repo.conf("datasets/synthetic-control.conf").toString();
    }

    private static long fittedInOneEpoch(Path run, String... settings) throws IOException {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--conf", conf(),
                "--set", "training.epochs=1", "--set", "model.layers=[8]"));
        for (String s : settings) {
            args.add("--set");
            args.add(s);
        }
        args.addAll(List.of("--data", data.toString(), "--output", run.toString()));
        assertEquals(0, Main.execute(Repo.args(args.get(0), args.subList(1, args.size()).toArray(String[]::new))));
        List<String> epochs = Files.readAllLines(run.resolve("metrics.jsonl"), StandardCharsets.UTF_8);
        JsonNode epoch = Json.mapper().readTree(epochs.get(0));
        return epoch.get("trainExamples").asLong();
    }

    @Test
    void filesLargerThanAWorkersRoundAreFittedWhole(@TempDir Path dir) throws IOException {
        // the reported case: 16 x 3 (the shipped averaging frequency) = 48 examples per worker and round, files of 128
        assertEquals(394, trainExamples);
        assertEquals(trainExamples, fittedInOneEpoch(dir.resolve("run"), "training.batchSizePerWorker=16"));
    }

    @Test
    void dl4jSparksRepartitioningIsRefusedBeforeTraining(@TempDir Path dir) {
        Path run = dir.resolve("run");
        assertEquals(2, Main.execute(Repo.args("train", "--conf", conf(), "--set", "training.repartition=always",
                "--data", data.toString(), "--output", run.toString())));
        assertFalse(Files.exists(run));
    }

    @Test
    void aWorkerMinibatchThatDividesNeitherTheFilesNorTheRoundFitsEveryExample(@TempDir Path dir) throws IOException {
        // 7 x 5 = 35 examples per worker and round: neither divides 128, and the last file holds 10
        assertEquals(trainExamples, fittedInOneEpoch(dir.resolve("run"), "training.batchSizePerWorker=7",
                "training.averagingFrequency=5", "training.workers=3"));
    }
}
