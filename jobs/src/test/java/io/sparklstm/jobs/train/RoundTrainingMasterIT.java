package io.sparklstm.jobs.train;

import io.sparklstm.jobs.config.TrainingConfig;
import io.sparklstm.model.CellType;
import io.sparklstm.model.ModelSpec;
import io.sparklstm.model.NetworkFactory;
import io.sparklstm.model.Task;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parameter averaging on a real local Spark (two task threads, Kryo as train sets it) with executors that keep
 * their networks, against dl4j-spark's worker that rebuilds them: the same parameters and updater state after
 * four rounds and a change of learning rate, and networks built only when there were none to reuse.
 */
class RoundTrainingMasterIT {

    private static JavaSparkContext sc;
    @TempDir
    static Path dir;
    private static List<AveragingRounds.MinibatchFile> files;

    @BeforeAll
    static void start() throws IOException {
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("round-master")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .set("spark.kryo.registrator", "io.sparklstm.jobs.spark.KryoRegistrator")
                .set("spark.kryo.referenceTracking", "false"));
        files = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Nd4j.getRandom().setSeed(100 + i);
            int shift = i;
            int[] classes = IntStream.range(0, 16).map(k -> (k + shift) % 3).toArray();
            DataSet batch = new DataSet(Nd4j.randn(DataType.FLOAT, 16, 2, 6),
                    Nd4j.eye(3).castTo(DataType.FLOAT).getRows(classes));
            Path file = dir.resolve("batch-" + i + ".bin");
            try (OutputStream out = Files.newOutputStream(file)) {
                batch.save(out);
            }
            files.add(new AveragingRounds.MinibatchFile(file.toUri().toString(), 16));
        }
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    private static TrainingConfig training(boolean reuse) {
        return training(reuse, 1, true);
    }

    private static TrainingConfig training(boolean reuse, int roundsPerJob, boolean saveUpdater) {
        return new TrainingConfig(2, 0, 2, 0, saveUpdater, 2, "never", false, 64, false, 0, 0, "", "never", false,
                reuse, 1, 0.0, roundsPerJob, 0);
    }

    /** Two epochs of two rounds each, the second at half the learning rate; the master, for its round times. */
    private static RoundTrainingMaster train(MultiLayerNetwork network, boolean reuse) {
        return train(network, training(reuse), files, new ArrayList<>());
    }

    /** Two epochs over {@code data}, the second at half the learning rate; each round heard of goes to {@code heard}. */
    private static RoundTrainingMaster train(MultiLayerNetwork network, TrainingConfig tc,
                                             List<AveragingRounds.MinibatchFile> data, List<Integer> heard) {
        LossHook hook = new LossHook(sc);
        RoundTrainingMaster master = TrainJob.trainingMaster(tc, 16, 2, 5, hook);
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, network, master);
        AveragingRounds rounds = AveragingRounds.of(tc, 16, 2);
        for (int epoch = 0; epoch < 2; epoch++) {
            network.setLearningRate(epoch == 0 ? 1e-2 : 5e-3);
            hook.reset();
            TrainJob.fitEpoch(sc, sparkNet, rounds.plan(TrainJob.shuffled(data, epoch)), heard::add);
            assertEquals(data.stream().mapToLong(AveragingRounds.MinibatchFile::examples).sum(), hook.examples(),
                    "every example fitted once in epoch " + epoch);
        }
        return master;
    }

    /**
     * Rounds run in one Spark job (training.roundsPerJob), the workers averaging through the driver's exchange,
     * end with the same parameters, updater state, counters and score as one job per round, bit for bit: over
     * nine files, so that an epoch's last round has a share for one worker only and the other waits it out; in
     * jobs of two rounds (a job of two and one of one per epoch) and of a whole epoch, with and without the
     * updater state averaged.
     */
    @Test
    void roundsInOneJobTrainTheSameNumbersAsOneJobPerRound() throws IOException {
        List<AveragingRounds.MinibatchFile> nine = new ArrayList<>(files);
        nine.add(extraFile());
        for (boolean saveUpdater : List.of(true, false)) {
            MultiLayerNetwork perRound = network();
            train(perRound, training(true, 1, saveUpdater), nine, new ArrayList<>());
            for (int roundsPerJob : List.of(2, 100)) {
                MultiLayerNetwork inJobs = network();
                List<Integer> heard = new ArrayList<>();
                RoundTrainingMaster master = train(inJobs, training(true, roundsPerJob, saveUpdater), nine, heard);
                String what = roundsPerJob + " rounds per job, saveUpdater " + saveUpdater;
                assertEquals(perRound.params(), inJobs.params(), what);
                assertEquals(perRound.getUpdater().getStateViewArray(), inJobs.getUpdater().getStateViewArray(),
                        what);
                assertEquals(perRound.getLayerWiseConfigurations().getIterationCount(),
                        inJobs.getLayerWiseConfigurations().getIterationCount(), what);
                assertEquals(perRound.getLayerWiseConfigurations().getEpochCount(),
                        inJobs.getLayerWiseConfigurations().getEpochCount(), what);
                assertEquals(perRound.score(), inJobs.score(), what);
                // three rounds an epoch (4 + 4 + 1 files), each heard of once, in order
                assertEquals(List.of(1, 2, 3, 1, 2, 3), heard, what);
                List<RoundTimes> times = master.takeRoundTimes();
                assertEquals(6, times.size(), what);
                assertEquals(List.of(2, 2, 1, 2, 2, 1), times.stream().map(t -> t.workers().size()).toList(),
                        "the workers that fitted in each round, " + what);
                times.forEach(t -> assertTrue(t.roundMs() >= t.fitMs(), t.toString()));
            }
        }
    }

    /**
     * A worker of a job of rounds that cannot read its minibatch file fails the job with its own exception (which
     * names the file; the exit code follows from it), not the abort the other worker got nor Spark's stage
     * failure, and the driver's network is left as it was.
     */
    @Test
    void aJobOfRoundsWithAnUnreadableFileFailsNamingItAndLeavesTheNetwork() throws IOException {
        Path bad = dir.resolve("batch-bad.bin");
        Files.write(bad, new byte[]{1, 2, 3, 4, 5});
        List<AveragingRounds.MinibatchFile> data = new ArrayList<>(files);
        data.add(3, new AveragingRounds.MinibatchFile(bad.toUri().toString(), 16));
        MultiLayerNetwork network = network();
        INDArray before = network.params().dup();
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> train(network, training(true, 4, true), data, new ArrayList<>()));
        // the worker's own exception (dl4j-spark's iterator wraps the loader's), not another worker's abort nor
        // Spark's stage failure alone: the input error the exit code is read from
        Throwable input = e;
        while (input != null && !(input instanceof io.sparklstm.prep.io.InputDataException)) input = input.getCause();
        assertTrue(input != null, "an input error among the causes of " + e);
        assertTrue(input.getMessage().contains("batch-bad.bin"), input.getMessage());
        assertEquals(before, network.params(), "no average of a failed job reaches the driver's network");
    }

    private static AveragingRounds.MinibatchFile extraFile() throws IOException {
        Nd4j.getRandom().setSeed(99);
        int[] classes = IntStream.range(0, 16).map(k -> k % 3).toArray();
        DataSet batch = new DataSet(Nd4j.randn(DataType.FLOAT, 16, 2, 6),
                Nd4j.eye(3).castTo(DataType.FLOAT).getRows(classes));
        Path file = dir.resolve("batch-extra.bin");
        try (OutputStream out = Files.newOutputStream(file)) {
            batch.save(out);
        }
        return new AveragingRounds.MinibatchFile(file.toUri().toString(), 16);
    }

    private static MultiLayerNetwork network() {
        return NetworkFactory.network(new ModelSpec(CellType.LSTM, List.of(8), List.of(), false, 0, 0,
                ModelSpec.Clipping.NONE, 1, ModelSpec.Updater.ADAM, 1e-2, 1, 0, 11), Task.CLASSIFICATION, 2, 3);
    }

    @Test
    void reusedNetworksTrainTheSameParametersAsRebuiltOnesAndAreBuiltOncePerConfiguration() {
        MultiLayerNetwork reusedNet = network();
        MultiLayerNetwork rebuiltNet = network();
        INDArray initial = reusedNet.params().dup();
        assertEquals(initial, rebuiltNet.params());

        List<RoundTimes> reused = train(reusedNet, true).takeRoundTimes();
        List<RoundTimes> rebuilt = train(rebuiltNet, false).takeRoundTimes();

        assertNotEquals(initial, reusedNet.params(), "training moved the parameters");
        assertEquals(rebuiltNet.params(), reusedNet.params());
        assertEquals(rebuiltNet.getUpdater().getStateViewArray(), reusedNet.getUpdater().getStateViewArray());
        assertEquals(rebuiltNet.getLayerWiseConfigurations().getIterationCount(),
                reusedNet.getLayerWiseConfigurations().getIterationCount());

        assertEquals(4, reused.size(), reused.toString());
        reused.forEach(r -> assertEquals(2, r.workers().size(), "both workers report: " + r));
        // round 1 and round 3 (a new learning rate: a new configuration) find no network of theirs in the pool
        assertTrue(reused.get(0).built() >= 1, reused.toString());
        assertEquals(0, reused.get(1).built(), reused.toString());
        assertTrue(reused.get(2).built() >= 1, reused.toString());
        assertEquals(0, reused.get(3).built(), reused.toString());
        assertEquals(4, rebuilt.size());
        rebuilt.forEach(r -> assertTrue(r.workers().isEmpty(), "dl4j-spark's worker measures nothing: " + r));
    }

    /**
     * A round's results go straight from the fitting into the sum, in one stage: stored as RDD blocks, they cost
     * a block manager write with a size estimate of every result and a removal afterwards (6 ms a round of a
     * 20,000-parameter network on this project's 2-core machine, a quarter of an empty round), and nothing
     * read them.
     */
    @Test
    void aRoundStoresNoResultBlocks() throws Exception {
        List<String> stored = new java.util.concurrent.CopyOnWriteArrayList<>();
        org.apache.spark.scheduler.SparkListener blocks = new org.apache.spark.scheduler.SparkListener() {
            @Override
            public void onBlockUpdated(org.apache.spark.scheduler.SparkListenerBlockUpdated update) {
                org.apache.spark.storage.BlockId id = update.blockUpdatedInfo().blockId();
                if (id.isRDD()) stored.add(id.name());
            }
        };
        sc.sc().addSparkListener(blocks);
        try {
            for (boolean reuse : List.of(true, false)) {
                List<RoundTimes> rounds = train(network(), reuse).takeRoundTimes();
                assertEquals(4, rounds.size(), rounds.toString());
            }
            sc.sc().listenerBus().waitUntilEmpty();
        } finally {
            sc.sc().removeSparkListener(blocks);
        }
        assertEquals(List.of(), stored);
    }
}
