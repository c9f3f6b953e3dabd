package io.sparklstm.jobs.train;

import io.sparklstm.jobs.config.ConfigException;
import io.sparklstm.jobs.config.TrainingConfig;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Which examples each worker fits in each averaging round of an epoch, planned on the driver so that every
 * training example is fitted exactly once.
 *
 * <p>dl4j-spark's worker re-batches the minibatch files of its partition into minibatches of
 * {@code batchSizePerWorker} examples (merging files, and splitting one where a minibatch ends), and fits at most
 * {@code averagingFrequency} of them before it returns its parameters for averaging: whatever its partition holds
 * beyond {@code batchSizePerWorker x averagingFrequency} examples is dropped without a word. So a worker's share
 * of a round holds at most that many examples.
 *
 * <p>A file of more than {@code batchSizePerWorker} examples is handed over in consecutive slices of that size
 * (each read by {@link MinibatchLoader}), never whole: re-batching splits what is left of a split minibatch again
 * where it exceeds a minibatch, and ND4J 1.0.0-M2.1 returns an empty array for some intervals of an array that is
 * itself a view (an interval ending at the view's end, e.g. rows [16, 32) of rows [16, 48) of 48: the worker then
 * fails on an empty minibatch). Pieces of at most one minibatch, each its own array, are split at most once.
 * With the default {@code batchSizePerWorker} (the file minibatch) every file stays whole.
 *
 * <p>A round takes as many pieces, in order, as its workers can fit, and spreads them over the workers as evenly
 * as consecutive groups allow: dl4j-spark averages the workers' parameters with equal weights.
 */
public final class AveragingRounds {

    /** A minibatch file and the examples it holds (read from the file, not inferred). */
    public record MinibatchFile(String path, int examples) {
        public MinibatchFile {
            if (examples < 1) {
                throw new IllegalArgumentException(path + " holds " + examples + " examples");
            }
        }
    }

    /** Examples {@code [from, to)} of a minibatch file of {@code fileExamples}: the whole file or a slice of it. */
    public record Piece(String path, int from, int to, int fileExamples) {

        public Piece {
            if (from < 0 || to <= from || to > fileExamples) {
                throw new IllegalArgumentException("examples [" + from + ", " + to + ") of " + path + " ("
                        + fileExamples + ")");
            }
        }

        public int examples() {
            return to - from;
        }

        public boolean whole() {
            return from == 0 && to == fileExamples;
        }

        /**
         * What the worker is handed for this piece: the file's path, with the slice appended where it is one
         * ({@link MinibatchLoader} reads it back). dl4j-spark only parses it as a URI, to pick the filesystem.
         */
        public String workerPath() {
            return whole() ? path : MinibatchLoader.slicePath(path, from, to);
        }
    }

    /** One averaging round: the pieces of each worker that fits anything in it, in order; none empty. */
    public record Round(List<List<Piece>> workers) {
        public Round {
            workers = workers.stream().map(List::copyOf).toList();
        }

        public long examples() {
            return workers.stream().flatMap(List::stream).mapToLong(Piece::examples).sum();
        }

        /** The worker paths of each worker's pieces. */
        public List<List<String>> workerPaths() {
            return workers.stream().map(w -> w.stream().map(Piece::workerPath).toList()).toList();
        }

        public int pieces() {
            return workers.stream().mapToInt(List::size).sum();
        }
    }

    private final int workers;
    private final int batchSizePerWorker;
    private final int averagingFrequency;

    private AveragingRounds(int workers, int batchSizePerWorker, int averagingFrequency) {
        this.workers = workers;
        this.batchSizePerWorker = batchSizePerWorker;
        this.averagingFrequency = averagingFrequency;
    }

    /**
     * The rounds of a training configuration over minibatch files of {@code fileMinibatch} examples, checked:
     * every combination of batch size, averaging frequency and file minibatch works, but dl4j-spark computes a
     * round's capacity (workers x batchSizePerWorker x averagingFrequency) in an {@code int}, and its
     * repartitioning would move the planned pieces between workers.
     */
    public static AveragingRounds of(TrainingConfig tc, int fileMinibatch, int workers) {
        int batch = tc.batchSizePerWorker() > 0 ? tc.batchSizePerWorker() : fileMinibatch;
        List<String> problems = new ArrayList<>();
        if ((long) workers * batch * tc.averagingFrequency() > Integer.MAX_VALUE) {
            problems.add("training.batchSizePerWorker (" + batch + ") x training.averagingFrequency ("
                    + tc.averagingFrequency() + ") x " + workers + " workers = "
                    + (long) workers * batch * tc.averagingFrequency() + " examples per averaging round is more "
                    + "than dl4j-spark can count (" + Integer.MAX_VALUE + "); lower them");
        }
        if (tc.repartition().equals("ALWAYS")) {
            problems.add("training.repartition = always is invalid: train places each averaging round's examples "
                    + "on the workers itself, at most training.averagingFrequency minibatches of "
                    + "training.batchSizePerWorker examples each, and dl4j-spark's repartitioning would move them so "
                    + "that some are not fitted; use num_partitions_workers_differs or never (the same now)");
        }
        if (!problems.isEmpty()) throw new ConfigException(problems);
        return new AveragingRounds(workers, batch, tc.averagingFrequency());
    }

    /** At most this many examples on one worker between two averagings. */
    public int examplesPerWorker() {
        return batchSizePerWorker * averagingFrequency;
    }

    /** At most this many examples in one averaging round. */
    public long examplesPerRound() {
        return (long) workers * examplesPerWorker();
    }

    /** The settings the rounds follow, for messages. */
    public String settings() {
        return "training.batchSizePerWorker = " + batchSizePerWorker + ", training.averagingFrequency = "
                + averagingFrequency + ", " + workers + " workers";
    }

    /** Examples per minibatch on a worker: training.batchSizePerWorker, or the file minibatch. */
    public int batch() {
        return batchSizePerWorker;
    }

    public int workers() {
        return workers;
    }

    /** The rounds of one epoch over {@code files}, taken in the order given. */
    public List<Round> plan(List<MinibatchFile> files) {
        List<Piece> pieces = pieces(files);
        List<Round> rounds = new ArrayList<>();
        for (int from = 0; from < pieces.size(); ) {
            Round round = round(pieces, from, averagingFrequency);
            rounds.add(round);
            from += round.pieces();
        }
        return Collections.unmodifiableList(rounds);
    }

    /**
     * The round that starts at {@code pieces[from]} when each worker fits at most {@code minibatchesPerWorker}
     * minibatches in it: how {@link #plan} cuts every round at averagingFrequency, and how a round of a
     * training.averagingSeconds epoch is cut at the size chosen for it ({@link AveragingPeriod}). It holds
     * {@link Round#pieces()} pieces, in order.
     */
    public Round round(List<Piece> pieces, int from, int minibatchesPerWorker) {
        if (from < 0 || from >= pieces.size() || minibatchesPerWorker < 1) {
            throw new IllegalArgumentException("a round from piece " + from + " of " + pieces.size() + ", "
                    + minibatchesPerWorker + " minibatches per worker");
        }
        long limit = (long) batchSizePerWorker * minibatchesPerWorker;
        int to = roundEnd(pieces, from, limit);
        return new Round(balanced(pieces.subList(from, to), limit));
    }

    /** Each file whole, or in consecutive slices of a worker's minibatch where it holds more. */
    public List<Piece> pieces(List<MinibatchFile> files) {
        int most = batchSizePerWorker;
        List<Piece> pieces = new ArrayList<>();
        for (MinibatchFile f : files) {
            for (int from = 0; from < f.examples(); from += most) {
                pieces.add(new Piece(f.path(), from, Math.min(f.examples(), from + most), f.examples()));
            }
        }
        return pieces;
    }

    /**
     * The end of the round that starts at {@code from}: as many pieces as the workers fit ({@code limit} examples
     * each), filled in turn.
     */
    private int roundEnd(List<Piece> pieces, int from, long limit) {
        int end = from;
        for (int w = 0; w < workers && end < pieces.size(); w++) {
            end = groupEnd(pieces, end, limit);
        }
        return end;
    }

    /** The end of a worker's consecutive pieces from {@code from}, at most {@code limit} examples (one at least). */
    private static int groupEnd(List<Piece> pieces, int from, long limit) {
        long load = pieces.get(from).examples();
        int end = from + 1;
        while (end < pieces.size() && load + pieces.get(end).examples() <= limit) {
            load += pieces.get(end++).examples();
        }
        return end;
    }

    /**
     * A round's pieces in at most {@code workers} consecutive groups whose largest is as small as it can be:
     * the smallest limit, between the even share and a worker's capacity ({@code capacity} examples), at which
     * filling groups in turn needs no more groups than there are workers (a larger limit never needs more).
     */
    private List<List<Piece>> balanced(List<Piece> round, long capacity) {
        long total = round.stream().mapToLong(Piece::examples).sum();
        long low = Math.max((total + workers - 1) / workers, round.stream().mapToInt(Piece::examples).max().orElse(0));
        long high = capacity;
        while (low < high) {
            long mid = (low + high) >>> 1;
            if (groups(round, mid).size() <= workers) high = mid;
            else low = mid + 1;
        }
        return groups(round, low);
    }

    private static List<List<Piece>> groups(List<Piece> round, long limit) {
        List<List<Piece>> groups = new ArrayList<>();
        for (int from = 0; from < round.size(); ) {
            int end = groupEnd(round, from, limit);
            groups.add(round.subList(from, end));
            from = end;
        }
        return groups;
    }
}
