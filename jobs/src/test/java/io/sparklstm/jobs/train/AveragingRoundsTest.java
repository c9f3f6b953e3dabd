package io.sparklstm.jobs.train;

import io.sparklstm.jobs.config.ConfigException;
import io.sparklstm.jobs.config.ConfigLoader;
import io.sparklstm.jobs.config.JobConfig;
import io.sparklstm.jobs.config.TrainingConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AveragingRoundsTest {

    /** Configurations by their settings: loading one takes a few milliseconds, and the sweep needs 24 of them. */
    private static final Map<String, TrainingConfig> LOADED = new HashMap<>();

    private static TrainingConfig training(int batchSizePerWorker, int averagingFrequency, String... more) {
        String key = batchSizePerWorker + " " + averagingFrequency + " " + String.join(" ", more);
        return LOADED.computeIfAbsent(key, k -> load(batchSizePerWorker, averagingFrequency, more));
    }

    private static TrainingConfig load(int batchSizePerWorker, int averagingFrequency, String... more) {
        List<String> sets = new ArrayList<>(List.of("training.batchSizePerWorker=" + batchSizePerWorker,
                "training.averagingFrequency=" + averagingFrequency));
        sets.addAll(List.of(more));
        return JobConfig.from(ConfigLoader.load((java.io.File) null, sets)).training();
    }

    /** {@code examples} in files of {@code fileMinibatch}, the last one partial, in a shuffled order. */
    private static List<AveragingRounds.MinibatchFile> files(int examples, int fileMinibatch, long seed) {
        List<AveragingRounds.MinibatchFile> files = new ArrayList<>();
        for (int from = 0, i = 0; from < examples; from += fileMinibatch, i++) {
            files.add(new AveragingRounds.MinibatchFile("file:/data/train/batch-" + i + ".bin",
                    Math.min(fileMinibatch, examples - from)));
        }
        Collections.shuffle(files, new Random(seed));
        return files;
    }

    /**
     * What a dl4j-spark worker fits of its share of a round: the first ceil(averagingFrequency x batch / examples
     * per path) paths (one example per path, as train tells it), re-batched as its IteratorDataSetIterator does
     * (a piece that overfills a minibatch is split, the rest kept for the next), at most averagingFrequency
     * minibatches. A split of what is left of a split piece would slice a view of a view, which ND4J gets wrong.
     */
    private static long fittedByWorker(List<AveragingRounds.Piece> share, int batch, int averagingFrequency,
                                       String label) {
        int pathCap = (int) Math.ceil(averagingFrequency * batch / 1.0);
        java.util.ArrayDeque<int[]> queue = new java.util.ArrayDeque<>(); // {examples, 1 if a view}
        share.stream().limit(pathCap).forEach(p -> queue.add(new int[]{p.examples(), 0}));
        long fitted = 0;
        for (int minibatches = 0; !queue.isEmpty() && minibatches < averagingFrequency; minibatches++) {
            int count = 0;
            while (!queue.isEmpty() && count < batch) {
                int[] next = queue.poll();
                if (count + next[0] > batch) {
                    assertEquals(0, next[1], label + ": splits the rest of a split piece");
                    queue.addFirst(new int[]{next[0] - (batch - count), 1});
                    count = batch;
                } else {
                    count += next[0];
                }
            }
            fitted += count;
        }
        return fitted;
    }

    private static void assertEveryExampleFittedOnce(List<AveragingRounds.MinibatchFile> files,
                                                     List<AveragingRounds.Round> rounds, int workers, int batch,
                                                     int averagingFrequency, String label) {
        Map<String, List<int[]>> covered = new HashMap<>();
        for (AveragingRounds.Round round : rounds) {
            assertTrue(!round.workers().isEmpty() && round.workers().size() <= workers, label);
            assertTrue(round.pieces() <= (long) workers * batch * averagingFrequency, label + ": one dl4j split");
            for (List<AveragingRounds.Piece> share : round.workers()) {
                assertTrue(!share.isEmpty(), label);
                long examples = share.stream().mapToLong(AveragingRounds.Piece::examples).sum();
                assertTrue((examples + batch - 1) / batch <= averagingFrequency, label + ": " + examples
                        + " examples need more than " + averagingFrequency + " minibatches of " + batch);
                assertEquals(examples, fittedByWorker(share, batch, averagingFrequency, label), label);
                for (AveragingRounds.Piece p : share) {
                    assertTrue(p.examples() <= batch, label + ": a piece of more than a minibatch");
                    covered.computeIfAbsent(p.path(), k -> new ArrayList<>()).add(new int[]{p.from(), p.to()});
                }
            }
        }
        assertEquals(files.size(), covered.size(), label);
        for (AveragingRounds.MinibatchFile f : files) {
            List<int[]> ranges = covered.get(f.path());
            ranges.sort((a, b) -> Integer.compare(a[0], b[0]));
            int next = 0;
            for (int[] r : ranges) {
                assertEquals(next, r[0], label + ": " + f.path() + " has a gap or an overlap");
                next = r[1];
            }
            assertEquals(f.examples(), next, label + ": " + f.path());
            if (f.examples() <= batch) {
                assertEquals(1, ranges.size(), label + ": a file of at most a minibatch is not cut");
            }
        }
    }

    @Test
    void everyExampleIsFittedOnceAndNoWorkerGetsMoreThanItsMinibatchesForAnyCombination() {
        int plans = 0;
        for (int fileMinibatch : new int[]{1, 7, 16, 32, 128}) {
            for (int examples : new int[]{1, 13, 394, 1000}) {
                List<AveragingRounds.MinibatchFile> files = files(examples, fileMinibatch, examples + fileMinibatch);
                for (int workers : new int[]{1, 2, 3, 5}) {
                    for (int batchSizePerWorker : new int[]{0, 1, 5, 16, 48, 200}) {
                        for (int averagingFrequency : new int[]{1, 2, 3, 5}) {
                            AveragingRounds rounds = AveragingRounds.of(training(batchSizePerWorker,
                                    averagingFrequency), fileMinibatch, workers);
                            int batch = batchSizePerWorker > 0 ? batchSizePerWorker : fileMinibatch;
                            assertEveryExampleFittedOnce(files, rounds.plan(files), workers, batch,
                                    averagingFrequency, examples + " examples in files of " + fileMinibatch + ", "
                                            + rounds.settings());
                            plans++;
                        }
                    }
                }
            }
        }
        assertEquals(5 * 4 * 4 * 6 * 4, plans);
    }

    @Test
    void roundsCutOneAtATimeAtAveragingFrequencyAreThePlannedRounds() {
        for (int fileMinibatch : new int[]{1, 16, 128}) {
            for (int examples : new int[]{13, 394, 1000}) {
                List<AveragingRounds.MinibatchFile> files = files(examples, fileMinibatch, examples);
                for (int workers : new int[]{1, 2, 3}) {
                    for (int batchSizePerWorker : new int[]{0, 5, 48}) {
                        for (int averagingFrequency : new int[]{1, 3}) {
                            AveragingRounds rounds = AveragingRounds.of(training(batchSizePerWorker,
                                    averagingFrequency), fileMinibatch, workers);
                            List<AveragingRounds.Piece> pieces = rounds.pieces(files);
                            List<AveragingRounds.Round> oneByOne = new ArrayList<>();
                            for (int from = 0; from < pieces.size(); from += oneByOne.get(oneByOne.size() - 1)
                                    .pieces()) {
                                oneByOne.add(rounds.round(pieces, from, averagingFrequency));
                            }
                            assertEquals(rounds.plan(files), oneByOne, rounds.settings());
                        }
                    }
                }
            }
        }
    }

    /**
     * An epoch whose rounds are sized in time ({@link AveragingPeriod}), each cut from what is left: workers that
     * fit a minibatch in {@code secondsPerMinibatch}, a period of {@code periodSeconds}.
     */
    private static List<AveragingRounds.Round> timedEpoch(AveragingRounds rounds,
                                                          List<AveragingRounds.MinibatchFile> files,
                                                          AveragingPeriod period, double secondsPerMinibatch,
                                                          List<Integer> sizes) {
        List<AveragingRounds.Piece> pieces = rounds.pieces(files);
        long left = pieces.stream().mapToLong(AveragingRounds.Piece::examples).sum();
        List<AveragingRounds.Round> out = new ArrayList<>();
        for (int from = 0; from < pieces.size(); ) {
            int size = period.next(left);
            AveragingRounds.Round round = rounds.round(pieces, from, size);
            for (List<AveragingRounds.Piece> share : round.workers()) {
                long examples = share.stream().mapToLong(AveragingRounds.Piece::examples).sum();
                assertTrue(examples <= (long) size * rounds.batch(), examples + " examples in a round of " + size
                        + " minibatches of " + rounds.batch());
            }
            List<WorkerTime> workers = round.workers().stream().map(share -> {
                long examples = share.stream().mapToLong(AveragingRounds.Piece::examples).sum();
                double fitMs = 1000 * secondsPerMinibatch * ((examples + rounds.batch() - 1) / rounds.batch());
                return new WorkerTime(0.5, fitMs, fitMs + 10, false);
            }).toList();
            period.fitted(round, new RoundTimes(5, 100, 1, 200, workers, size));
            sizes.add(size);
            out.add(round);
            from += round.pieces();
            left -= round.examples();
        }
        return out;
    }

    @Test
    void roundsSizedInTimeFitEveryExampleOnceWhateverTheirSizes() {
        int epochs = 0;
        for (int fileMinibatch : new int[]{1, 16, 128}) {
            for (int examples : new int[]{13, 394, 1000}) {
                List<AveragingRounds.MinibatchFile> files = files(examples, fileMinibatch, examples + 1);
                for (int workers : new int[]{1, 2, 3}) {
                    for (int batchSizePerWorker : new int[]{0, 5, 48}) {
                        for (double periodSeconds : new double[]{0.001, 0.35, 2, 1e9}) {
                            AveragingRounds rounds = AveragingRounds.of(training(batchSizePerWorker, 3),
                                    fileMinibatch, workers);
                            AveragingPeriod period = new AveragingPeriod(periodSeconds, 3, workers, rounds.batch());
                            String label = examples + " examples in files of " + fileMinibatch + ", "
                                    + rounds.settings() + ", every " + periodSeconds + " s";
                            for (int epoch = 0; epoch < 2; epoch++) {
                                List<Integer> sizes = new ArrayList<>();
                                List<AveragingRounds.Round> plan = timedEpoch(rounds, files, period, 0.1, sizes);
                                int most = sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
                                assertEveryExampleFittedOnce(files, plan, workers, rounds.batch(), most, label);
                                assertTrue(sizes.stream().allMatch(n -> n >= 1), label + ": " + sizes);
                                epochs++;
                            }
                        }
                    }
                }
            }
        }
        assertEquals(3 * 3 * 3 * 3 * 4 * 2, epochs);
    }

    @Test
    void roundsSizedInTimeStartAtAveragingFrequencyThenFollowTheMeasuredRate() {
        // 394 examples in 25 files of 16 (the last of 10), 2 workers: 13 minibatches per worker and epoch
        List<AveragingRounds.MinibatchFile> files = files(394, 16, 3);
        AveragingRounds rounds = AveragingRounds.of(training(0, 5), 16, 2);
        AveragingPeriod period = new AveragingPeriod(0.3, 5, 2, 16);
        List<Integer> sizes = new ArrayList<>();
        List<AveragingRounds.Round> first = timedEpoch(rounds, files, period, 0.1, sizes);
        // 5 (nothing measured), then 0.3 s / 0.1 s = 3 per worker: 10 + 6 + 6 = 22 files, then the last 3 files
        // (2 minibatches for the busier worker)
        assertEquals(List.of(5, 3, 3, 2), sizes);
        assertEquals(394, first.stream().mapToLong(AveragingRounds.Round::examples).sum());
        sizes.clear();
        timedEpoch(rounds, files, period, 0.1, sizes);
        // 13 per worker at 3: 5 rounds, evened out as the rest shrinks (3 of 10, 3 of 7, 2 of 4, 2 of 2)
        assertEquals(List.of(3, 3, 3, 2, 2), sizes, "the next epoch starts at the measured size");

        AveragingPeriod whole = new AveragingPeriod(1e9, 5, 2, 16);
        sizes.clear();
        timedEpoch(rounds, files, whole, 0.1, sizes);
        assertEquals(List.of(5, 8), sizes, "a long period takes the rest of the epoch in one round");
        sizes.clear();
        List<AveragingRounds.Round> oneRound = timedEpoch(rounds, files, whole, 0.1, sizes);
        assertEquals(List.of(13), sizes);
        assertEquals(1, oneRound.size());
    }

    @Test
    void filesOf128WithWorkerMinibatchesOf16GoInSlicesOf16AtMost48ToAWorker() {
        // the reported case: synthetic control's 394 training sequences, 16 x 3 examples per worker and round
        List<AveragingRounds.MinibatchFile> files = files(394, 128, 1);
        List<AveragingRounds.Round> plan = AveragingRounds.of(training(16, 3), 128, 2).plan(files);
        assertEquals(394, plan.stream().mapToLong(AveragingRounds.Round::examples).sum());
        for (AveragingRounds.Round round : plan) {
            for (List<AveragingRounds.Piece> share : round.workers()) {
                assertTrue(share.stream().mapToInt(AveragingRounds.Piece::examples).sum() <= 48, round.toString());
            }
        }
        assertEveryExampleFittedOnce(files, plan, 2, 16, 3, "394 in 128s, 16 x 3, 2 workers");
    }

    @Test
    void theFileMinibatchAsWorkerBatchHandsWholeFilesAveragingFrequencyToAWorker() {
        List<AveragingRounds.MinibatchFile> files = files(394, 16, 2);
        List<AveragingRounds.Round> plan = AveragingRounds.of(training(0, 3), 16, 2).plan(files);
        // 25 files (24 of 16, one of 10), 3 per worker and 6 per round
        assertEquals(5, plan.size());
        for (AveragingRounds.Round round : plan.subList(0, 4)) {
            assertEquals(List.of(3, 3), round.workers().stream().map(List::size).toList());
        }
        assertTrue(plan.stream().flatMap(r -> r.workers().stream()).flatMap(List::stream)
                .allMatch(AveragingRounds.Piece::whole));
    }

    @Test
    void theLastRoundIsSpreadOverTheWorkers() {
        List<AveragingRounds.MinibatchFile> files = List.of(new AveragingRounds.MinibatchFile("a", 64),
                new AveragingRounds.MinibatchFile("b", 64), new AveragingRounds.MinibatchFile("c", 64),
                new AveragingRounds.MinibatchFile("d", 64), new AveragingRounds.MinibatchFile("e", 10));
        // 4 workers of 192 examples would take it all on two, filled in turn (192 and 74)
        List<AveragingRounds.Round> plan = AveragingRounds.of(training(64, 3), 64, 4).plan(files);
        assertEquals(1, plan.size());
        assertEquals(List.of(64L, 64L, 64L, 74L), plan.get(0).workers().stream()
                .map(w -> w.stream().mapToLong(AveragingRounds.Piece::examples).sum()).toList());
    }

    @Test
    void aSliceTravelsAsTheFilesPathWithItsExampleRange() {
        AveragingRounds.Piece slice = new AveragingRounds.Piece("hdfs://nn:8020/d/train/batch-000003.bin", 48, 96, 128);
        assertEquals("hdfs://nn:8020/d/train/batch-000003.bin#examples=48-96", slice.workerPath());
        AveragingRounds.Piece whole = new AveragingRounds.Piece("file:/d/train/batch-000003.bin", 0, 128, 128);
        assertEquals("file:/d/train/batch-000003.bin", whole.workerPath());
    }

    @Test
    void roundsDl4jSparkCannotCountAreRefusedNamingTheKeys() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> AveragingRounds.of(training(100_000, 100_000), 32, 2));
        assertTrue(e.getMessage().contains("training.batchSizePerWorker (100000) x training.averagingFrequency "
                + "(100000) x 2 workers"), e.getMessage());
    }

    @Test
    void dl4jSparksRepartitioningIsRefusedBecauseItWouldMoveThePlannedShares() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> AveragingRounds.of(training(16, 3, "training.repartition=always"), 32, 2));
        assertTrue(e.getMessage().contains("training.repartition = always is invalid"), e.getMessage());
        AveragingRounds.of(training(16, 3, "training.repartition=never"), 32, 2);
    }
}
