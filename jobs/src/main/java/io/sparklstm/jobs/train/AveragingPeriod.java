package io.sparklstm.jobs.train;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalDouble;

/**
 * How many minibatches each worker fits in the next averaging round when the period is set in time
 * (training.averagingSeconds): as many as the workers fit in about that many seconds, at the fit time per
 * minibatch measured in the last {@value #MEASURED_ROUNDS} rounds. The first round of a run (nothing measured
 * yet) fits training.averagingFrequency minibatches per worker. Every size is at least one minibatch and at most
 * what is left of the epoch per worker, so an epoch still ends where its examples end: the driver cuts each
 * round from what is left ({@link AveragingRounds#round}) and never stops a worker mid-round.
 *
 * <p>The measure is the workers' own fitting ({@link WorkerTime#fitMs()}: the sum over workers divided by the
 * minibatches they were handed), not the round: a round's overhead (broadcast, scheduling, results) is what a
 * longer period spreads over more minibatches, and should not shorten it. Where the workers measure nothing
 * (dl4j-spark's own worker, training.reuseWorkerNetworks = false) the whole round's time per minibatch of its
 * busiest worker stands in, overhead included, so rounds come out somewhat shorter there.
 *
 * <p>The measure is not saved in checkpoints: a resumed run starts again at averagingFrequency for one round.
 */
public final class AveragingPeriod {

    /** Rounds whose fit times make the measure: the first rounds of a JVM run slower (JIT), and are soon out. */
    static final int MEASURED_ROUNDS = 3;

    private final double targetSeconds;
    private final int firstRound;
    private final int workers;
    private final int batch;
    /** {@code {fit seconds, minibatches}} of the last rounds measured. */
    private final Deque<double[]> measured = new ArrayDeque<>();

    /**
     * @param targetSeconds training.averagingSeconds (above 0)
     * @param firstRound    training.averagingFrequency: the first round's minibatches per worker
     * @param workers       the workers of a round
     * @param batch         examples per worker minibatch
     */
    public AveragingPeriod(double targetSeconds, int firstRound, int workers, int batch) {
        if (!(targetSeconds > 0) || Double.isInfinite(targetSeconds) || firstRound < 1 || workers < 1 || batch < 1) {
            throw new IllegalArgumentException("averaging every " + targetSeconds + " s, first round "
                    + firstRound + ", " + workers + " workers, minibatches of " + batch);
        }
        this.targetSeconds = targetSeconds;
        this.firstRound = firstRound;
        this.workers = workers;
        this.batch = batch;
    }

    /**
     * The minibatches per worker of the next round: {@code targetSeconds / secondsPerMinibatch} rounded to the
     * nearest whole minibatch where measured, {@code firstRound} where not; then at least 1 and at most
     * {@code leftPerWorker} (what is left of the epoch, per worker) and {@code most} (what dl4j-spark can count);
     * then evened out over the rounds the rest of the epoch takes at that size (13 left at 8 a round: 7 now and
     * 6 next, not 8 and 5), so that no round is much shorter than the period for lack of examples.
     */
    public static int minibatchesPerWorker(OptionalDouble secondsPerMinibatch, double targetSeconds, int firstRound,
                                           long leftPerWorker, int most) {
        if (leftPerWorker < 1 || most < 1) {
            throw new IllegalArgumentException(leftPerWorker + " minibatches left per worker, at most " + most);
        }
        double wanted = secondsPerMinibatch.isPresent() && secondsPerMinibatch.getAsDouble() > 0
                ? Math.rint(targetSeconds / secondsPerMinibatch.getAsDouble()) : firstRound;
        // a double until bounded: wanted may exceed a long
        long bounded = (long) Math.max(1, Math.min(Math.min(wanted, leftPerWorker), most));
        long rounds = (leftPerWorker + bounded - 1) / bounded;
        return (int) ((leftPerWorker + rounds - 1) / rounds);
    }

    /** The minibatches per worker of the next round, with {@code examplesLeft} examples left in the epoch. */
    public int next(long examplesLeft) {
        long minibatchesLeft = (examplesLeft + batch - 1) / batch;
        long leftPerWorker = Math.max(1, (minibatchesLeft + workers - 1) / workers);
        // dl4j-spark counts a round's examples (workers x batch x minibatches) in an int
        int most = (int) Math.max(1, Integer.MAX_VALUE / ((long) workers * batch));
        return minibatchesPerWorker(secondsPerMinibatch(), targetSeconds, firstRound, leftPerWorker, most);
    }

    /** The fit seconds per minibatch of the last rounds measured; empty before the first. */
    public OptionalDouble secondsPerMinibatch() {
        double seconds = 0;
        double minibatches = 0;
        for (double[] m : measured) {
            seconds += m[0];
            minibatches += m[1];
        }
        return minibatches > 0 && seconds > 0 ? OptionalDouble.of(seconds / minibatches) : OptionalDouble.empty();
    }

    /** What {@code round} took ({@code times}); rounds without a usable time are left out. */
    public void fitted(AveragingRounds.Round round, RoundTimes times) {
        double seconds;
        long minibatches;
        if (!times.workers().isEmpty()) {
            seconds = times.workers().stream().mapToDouble(WorkerTime::fitMs).sum() / 1e3;
            minibatches = round.workers().stream().mapToLong(this::minibatches).sum();
        } else {
            seconds = times.roundMs() / 1e3;
            minibatches = round.workers().stream().mapToLong(this::minibatches).max().orElse(0);
        }
        if (!(seconds > 0) || Double.isInfinite(seconds) || minibatches < 1) return;
        if (measured.size() == MEASURED_ROUNDS) measured.removeFirst();
        measured.addLast(new double[]{seconds, minibatches});
    }

    /** The minibatches a worker makes of its pieces: dl4j-spark re-batches them into minibatches of batch. */
    private long minibatches(java.util.List<AveragingRounds.Piece> share) {
        long examples = share.stream().mapToLong(AveragingRounds.Piece::examples).sum();
        return (examples + batch - 1) / batch;
    }

    /** About how many rounds {@code examples} take at the next round's size: for the progress display only. */
    public int roundsEstimate(long examples) {
        long perRound = (long) next(examples) * batch * workers;
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, (examples + perRound - 1) / perRound));
    }
}
