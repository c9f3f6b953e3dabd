package io.sparklstm.jobs.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.sparklstm.jobs.train.RoundTimes;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Where an averaging round's time went, over the timed rounds of a Spark measurement: each figure is the median
 * over those rounds (of all repeats), in milliseconds. The worker figures are the slowest worker's of the round.
 *
 * @param rounds           rounds measured
 * @param minibatchesPerWorker the most minibatches a worker could fit in a round: training.averagingFrequency, or
 *                         with training.averagingSeconds the size chosen for each round
 * @param roundMs          the whole round on the driver
 * @param broadcastMs      driver: broadcasting parameters and updater state (and the configuration when new)
 * @param schedulingMs     the round's job outside the workers: scheduling, task and result (de)serialization,
 *                         transfers, summing the results
 * @param workerInitMs     a worker getting its network ready (taken from its executor's pool, or built) with the
 *                         round's parameters and updater state
 * @param workerFitMs      a worker fitting its minibatches: what plain fits side by side would take too
 * @param workerOtherMs    a worker's time besides set-up and fitting: reading its minibatch files, copying its
 *                         result out
 * @param applyMs          driver: dividing the sums and setting them into its network
 * @param overheadMs       the round beyond the slowest worker's fitting
 * @param overheadFraction overhead as a fraction of the round
 * @param networksBuilt    networks built from their configuration over all measured rounds (the rest were reused)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"rounds", "minibatchesPerWorker", "roundMs", "broadcastMs", "schedulingMs", "workerInitMs",
        "workerFitMs", "workerOtherMs",
        "applyMs", "overheadMs", "overheadFraction", "networksBuilt"})
public record RoundBreakdown(int rounds, double roundMs, double broadcastMs, Double schedulingMs, Double workerInitMs,
                             Double workerFitMs, Double workerOtherMs, Double applyMs, Double overheadMs,
                             Double overheadFraction, Long networksBuilt, double minibatchesPerWorker) {

    /** The medians of {@code times}; the worker figures are absent where dl4j-spark's own worker ran. */
    static RoundBreakdown of(List<RoundTimes> times) {
        if (times.isEmpty()) throw new IllegalArgumentException("no rounds measured");
        boolean workers = times.stream().allMatch(t -> !t.workers().isEmpty());
        return new RoundBreakdown(times.size(), median(times, RoundTimes::roundMs),
                median(times, RoundTimes::broadcastMs),
                workers ? median(times, RoundTimes::schedulingMs) : null,
                workers ? median(times, RoundTimes::initMs) : null,
                workers ? median(times, RoundTimes::fitMs) : null,
                workers ? median(times, t -> t.busyMs() - t.initMs() - t.fitMs()) : null,
                workers ? median(times, RoundTimes::applyMs) : null,
                workers ? median(times, RoundTimes::overheadMs) : null,
                workers ? Benchmark.round(Benchmark.median(times.stream().map(RoundTimes::overheadFraction)
                        .toList())) : null,
                workers ? times.stream().mapToLong(RoundTimes::built).sum() : null,
                median(times, RoundTimes::minibatchesPerWorker));
    }

    private static double median(List<RoundTimes> times, ToDoubleFunction<RoundTimes> figure) {
        return Benchmark.round(Benchmark.median(times.stream().map(figure::applyAsDouble).toList()));
    }
}
