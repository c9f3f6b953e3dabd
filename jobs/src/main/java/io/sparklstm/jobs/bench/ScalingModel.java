package io.sparklstm.jobs.bench;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Predicts parameter averaging's examples per second on N executors from the per-round costs {@code bench}
 * measured on one or two workers, over a network of a given bandwidth and latency. Pure arithmetic: no Spark.
 *
 * <p>An averaging round is synchronous (dl4j-spark's {@code ParameterAveragingTrainingMaster}, run by
 * {@code RoundTrainingMaster}): the driver broadcasts parameters and updater state, runs one job whose N tasks each
 * fit {@code averagingFrequency} minibatches, sums the results with {@code treeAggregate}, and sets the average into
 * its network; nothing of one round overlaps another. So a round's time is the sum of its parts:
 * <pre>
 *   round(N) = compute + worker + broadcast(N) + aggregation(N) + scheduling(N)
 *   examples/s(N) = N x minibatch x averagingFrequency / round(N)
 * </pre>
 * with S the bytes of parameters plus updater state (what one broadcast and one worker's result carry), B the
 * bandwidth of every machine's link, L the latency of one request and its answer:
 * <ul>
 *   <li><b>compute</b>: the fit time per minibatch measured on one worker, times {@code averagingFrequency}. Every
 *   worker fits as many minibatches per round whatever N is (weak scaling), on a machine of its own; the slowest
 *   of N workers is taken to be as fast as the measured one (no stragglers).</li>
 *   <li><b>worker</b>: the rest of a worker's task as measured: taking its network and loading the round's
 *   parameters, reading its minibatch files (from local disk or a cache: data read over the network is not
 *   modelled), copying its result out.</li>
 *   <li><b>broadcast</b>: the driver's measured time to create the broadcast (serializing S), plus its
 *   distribution. Spark's {@code TorrentBroadcast} cuts the serialized value into pieces of
 *   {@code spark.broadcast.blockSize} (4 MiB); an executor fetches the pieces in random order, each from a random
 *   holder among those the driver's block manager knows, and registers itself as a holder of each piece it has.
 *   This is neither a tree (log2 N rounds of S/B) nor free: all N tasks start within milliseconds of each other,
 *   so the first piece every executor asks for can only come from the driver, whose link sends N pieces before any
 *   executor can serve one; the other k - 1 pieces then have holders all over the cluster and spread over N + 1
 *   links, about one piece time each. With k pieces of size s = min(S, 4 MiB):
 *   {@code distribution(N) = (N + k - 1) x s / B + 2 k L} (a location lookup and a fetch per piece). Up to 4 MiB
 *   (one piece: every shape up to about 300 units with Adam) the torrent degenerates to the driver sending S to
 *   every executor: linear in N. Serialized parameters are taken as S bytes: lz4 gains little on floats.</li>
 *   <li><b>aggregation</b>: {@code treeAggregate} with dl4j-spark's depth 2. Spark adds a level of P partial sums
 *   (a shuffle) only while {@code P > scale + ceil(P / scale)}, {@code scale = max(ceil(N^(1/depth)), 2)}, P
 *   divided by scale each time ({@link #treeAggregatePartitions}): none for N up to 5, then about sqrt(N). At a
 *   level, every reducer pulls ceil(N / P) results of S bytes through its own link, in parallel; the driver then
 *   receives the last P results through its link: {@code P x S / B}, the bottleneck. Each result also costs its
 *   receiver CPU time, serially ({@code resultMs}: decrypting, deserializing and adding S bytes; taken from the
 *   growth of the scheduling time from one worker to two, which in one run on a loaded machine grew with S: about
 *   0, 24 and 63 ms per extra worker at 0.23, 3.3 and 12.8 MB, and in another did not grow at all). Each step
 *   costs one L (results above 1 MiB are fetched from the executors' block managers). Plus the driver's measured
 *   time to divide the sums and set them into its network.</li>
 *   <li><b>scheduling</b>: the job's time outside the workers as measured ({@code schedulingMs}) but the results
 *   taken in: a fixed part per stage (taken to be the same for the tree's extra stage), and a part per task the
 *   driver spends serially launching it ({@code taskMs}, not measured apart: 0 unless given). With an extra
 *   aggregation level, one more stage with P tasks. Plus the driver's time between rounds (planning a
 *   round, building its RDD of file paths), the same at any N. The costs are measured on one machine (local mode or
 *   a standalone cluster on loopback), where transfers take next to nothing; they are counted once, above.</li>
 * </ul>
 * Examples/s therefore rises with N towards a ceiling ({@link #ceilingExamplesPerSecond}) and has no peak; where
 * it "stops scaling" is read from the efficiency.
 *
 * <p><b>Rounds in one job</b> ({@code training.roundsPerJob = K}, {@code RoundTrainingMaster}'s job mode): the
 * broadcast, the job's stage and its N task launches and the driver's update of its own network happen once per K
 * rounds (the time between rounds stays per round: measured in that mode it was about as large); in each round
 * every worker sends its parameters and updater state to a socket on the driver, which averages them and sends the
 * average back to each. No tree: all 2 x N x S bytes go through
 * the driver's link, N results in and N averages out one after the other, and the driver takes in every result
 * ({@code resultMs} each):
 * <pre>
 *   round(N, K) = compute + worker + exchange(N) + between + (broadcast(N) + stage(N) + apply) / K
 *   exchange(N) = 2 x N x S / B + N x resultMs + L
 * </pre>
 * (in {@link Round}: the exchange and apply / K are its aggregation, between + stage(N) / K its scheduling). The
 * worker's other time is taken as measured with one job per round, taking its network included (in a job
 * of K rounds it takes it once). So the mode trades the per-job floor, which is what holds back short rounds on
 * few executors, for a per-worker cost of 2 S / B + resultMs on the driver each round, which grows linearly with N
 * where one job per round grows with about sqrt(N): its ceiling
 * ({@code examples per worker / (2 S / B + resultMs + (taskMs + piece time) / K)}) is below one job per round's
 * wherever the transfers dominate.
 *
 * <p>Not modelled: CPU contention between the driver and executors (each is taken to have its own machine), JIT
 * warm-up, task failures and speculative copies, network contention from other jobs, and the statistical
 * efficiency (examples needed to reach a loss): this is throughput only.
 */
public final class ScalingModel {

    /** Spark's default {@code spark.broadcast.blockSize}: a broadcast travels in pieces of this many bytes. */
    public static final long BROADCAST_PIECE_BYTES = 4L << 20;

    /** dl4j-spark's default {@code aggregationDepth}, which {@code train} keeps. */
    public static final int AGGREGATION_DEPTH = 2;

    private ScalingModel() {
    }

    /**
     * A network: every machine's link of {@code bitsPerSecond}, and {@code latencyMs} for one request and its
     * answer.
     */
    @JsonPropertyOrder({"bitsPerSecond", "latencyMs"})
    public record Network(double bitsPerSecond, double latencyMs) {
        public Network {
            if (!(bitsPerSecond > 0) || Double.isInfinite(bitsPerSecond)) {
                throw new IllegalArgumentException("bandwidth must be positive: " + bitsPerSecond + " b/s");
            }
            if (!(latencyMs >= 0) || Double.isInfinite(latencyMs)) {
                throw new IllegalArgumentException("latency must be 0 or more: " + latencyMs + " ms");
            }
        }

        /** Milliseconds to move {@code bytes} through one link. */
        double transferMs(double bytes) {
            return 1000 * bytes * 8 / bitsPerSecond;
        }
    }

    /**
     * One shape's measured per-round costs, in milliseconds.
     *
     * @param minibatch          examples per minibatch a worker fits
     * @param averagingFrequency minibatches a worker fits per round
     * @param fitMsPerMinibatch  a worker's fitting time per minibatch
     * @param workerMs           a worker's time besides fitting (network set-up, reading data, copying its result)
     * @param broadcastMs        the driver creating the round's broadcast
     * @param jobMs              scheduling per stage (fixed)
     * @param taskMs             scheduling per task, spent serially by the driver (launching it)
     * @param resultMs           taking in one worker's result, serially on the driver or a reducer: decrypting,
     *                           deserializing and adding S bytes (CPU, besides the transfer)
     * @param applyMs            the driver dividing the sums and setting them into its network
     * @param betweenMs          the driver's time per round outside it: planning the round, handing over its
     *                           files; the same at any N
     * @param transferBytes      bytes of parameters plus updater state: one broadcast, one worker's result
     */
    @JsonPropertyOrder({"minibatch", "averagingFrequency", "fitMsPerMinibatch", "workerMs", "broadcastMs", "jobMs",
            "taskMs", "resultMs", "applyMs", "betweenMs", "transferBytes"})
    public record Costs(int minibatch, int averagingFrequency, double fitMsPerMinibatch, double workerMs,
                        double broadcastMs, double jobMs, double taskMs, double resultMs, double applyMs,
                        double betweenMs, long transferBytes) {
        public Costs {
            if (minibatch < 1 || averagingFrequency < 1) {
                throw new IllegalArgumentException("minibatch and averaging frequency must be positive: " + minibatch
                        + ", " + averagingFrequency);
            }
            Map<String, Double> times = new LinkedHashMap<>();
            times.put("fit per minibatch", fitMsPerMinibatch);
            times.put("worker", workerMs);
            times.put("broadcast", broadcastMs);
            times.put("per stage", jobMs);
            times.put("per task", taskMs);
            times.put("per result", resultMs);
            times.put("apply", applyMs);
            times.put("between rounds", betweenMs);
            times.forEach((name, ms) -> {
                if (!(ms >= 0) || Double.isInfinite(ms)) {
                    throw new IllegalArgumentException(name + " time must be 0 ms or more: " + ms);
                }
            });
            if (!(fitMsPerMinibatch > 0)) throw new IllegalArgumentException("fit time per minibatch must be positive");
            if (transferBytes < 0) throw new IllegalArgumentException("bytes must be 0 or more: " + transferBytes);
        }

        long examplesPerWorker() {
            return (long) minibatch * averagingFrequency;
        }
    }

    /** The parts a round's time is split into. */
    public enum Part { COMPUTE, WORKER, BROADCAST, AGGREGATION, SCHEDULING }

    /**
     * One round on {@code workers} executors, in milliseconds, and what it gives: examples per second, speed-up and
     * efficiency against one worker on the same network, and the largest part.
     */
    @JsonPropertyOrder({"workers", "roundMs", "computeMs", "workerMs", "broadcastMs", "aggregationMs", "schedulingMs",
            "examplesPerSecond", "speedup", "efficiency", "dominant", "aggregationLevels"})
    public record Round(int workers, double roundMs, double computeMs, double workerMs, double broadcastMs,
                        double aggregationMs, double schedulingMs, double examplesPerSecond, double speedup,
                        double efficiency, Part dominant, List<Integer> aggregationLevels) {

        public Round {
            aggregationLevels = List.copyOf(aggregationLevels);
        }
    }

    /** The round on {@code workers} executors, one job per round, with its speed-up against one. */
    public static Round predict(Costs costs, Network network, int workers) {
        return predict(costs, network, workers, 1);
    }

    /**
     * The round on {@code workers} executors with {@code roundsPerJob} rounds in each Spark job (1: one job per
     * round), with its speed-up against one executor in the same mode.
     */
    public static Round predict(Costs costs, Network network, int workers, int roundsPerJob) {
        double one = predictOne(costs, network, 1, roundsPerJob).examplesPerSecond();
        Round r = predictOne(costs, network, workers, roundsPerJob);
        return new Round(r.workers(), r.roundMs(), r.computeMs(), r.workerMs(), r.broadcastMs(), r.aggregationMs(),
                r.schedulingMs(), r.examplesPerSecond(), r.examplesPerSecond() / one,
                r.examplesPerSecond() / one / workers, r.dominant(), r.aggregationLevels());
    }

    /** The round on {@code workers} executors; speed-up and efficiency left at NaN. */
    private static Round predictOne(Costs costs, Network network, int workers, int roundsPerJob) {
        if (workers < 1) throw new IllegalArgumentException("workers must be 1 or more: " + workers);
        if (roundsPerJob < 1) throw new IllegalArgumentException("rounds per job must be 1 or more: " + roundsPerJob);
        boolean oneJob = roundsPerJob > 1;
        List<Integer> levels = oneJob ? List.of() : aggregationLevels(workers, AGGREGATION_DEPTH);
        double compute = costs.fitMsPerMinibatch() * costs.averagingFrequency();
        double broadcast = broadcastMs(costs, network, workers) / roundsPerJob;
        double aggregation = oneJob ? exchangeMs(costs, network, workers) + costs.applyMs() / roundsPerJob
                : aggregationMs(costs, network, workers, levels);
        double scheduling = costs.betweenMs() + stagesMs(costs, workers, levels) / roundsPerJob;
        double round = compute + costs.workerMs() + broadcast + aggregation + scheduling;
        double rate = rate(costs, workers, round);
        Map<Part, Double> parts = new LinkedHashMap<>();
        parts.put(Part.COMPUTE, compute);
        parts.put(Part.WORKER, costs.workerMs());
        parts.put(Part.BROADCAST, broadcast);
        parts.put(Part.AGGREGATION, aggregation);
        parts.put(Part.SCHEDULING, scheduling);
        Part dominant = parts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        return new Round(workers, round, compute, costs.workerMs(), broadcast, aggregation, scheduling, rate,
                Double.NaN, Double.NaN, dominant, levels);
    }

    /** Rounds for each of {@code workers}, {@code roundsPerJob} rounds in each Spark job. */
    public static List<Round> predict(Costs costs, Network network, List<Integer> workers, int roundsPerJob) {
        return workers.stream().map(n -> predict(costs, network, n, roundsPerJob)).toList();
    }

    /** Examples per second on {@code workers} executors, one job per round. */
    public static double examplesPerSecond(Costs costs, Network network, int workers) {
        return examplesPerSecond(costs, network, workers, 1);
    }

    /** Examples per second on {@code workers} executors, {@code roundsPerJob} rounds in each Spark job. */
    public static double examplesPerSecond(Costs costs, Network network, int workers, int roundsPerJob) {
        return predictOne(costs, network, workers, roundsPerJob).examplesPerSecond();
    }

    /**
     * The rate no worker count reaches: each worker adds {@code taskMs} of the driver's serial scheduling and one
     * broadcast piece through the driver's link to every round, while the rest grows more slowly (the results the
     * driver takes in with about sqrt(N)), so examples/s rises towards {@code examples per worker / (taskMs + piece time)} and never
     * peaks. Empty when both are 0 (no ceiling).
     */
    public static Optional<Double> ceilingExamplesPerSecond(Costs costs, Network network) {
        return ceilingExamplesPerSecond(costs, network, 1);
    }

    /**
     * The ceiling with {@code roundsPerJob} rounds in each job: above 1, each worker also adds its exchange with the
     * driver to every round (its result in, its average out, the driver taking the result in), and the task launch
     * and broadcast piece to every K-th.
     */
    public static Optional<Double> ceilingExamplesPerSecond(Costs costs, Network network, int roundsPerJob) {
        double perJobMs = costs.taskMs() + network.transferMs(Math.min(costs.transferBytes(), BROADCAST_PIECE_BYTES));
        double perWorkerMs = roundsPerJob > 1 ? exchangePerWorkerMs(costs, network) + perJobMs / roundsPerJob
                : perJobMs;
        return perWorkerMs > 0 ? Optional.of(1000.0 * costs.examplesPerWorker() / perWorkerMs) : Optional.empty();
    }

    /** The smallest worker count up to {@code most} whose efficiency is below {@code efficiency}, if any. */
    public static Optional<Integer> firstBelow(Costs costs, Network network, double efficiency, int most) {
        return firstBelow(costs, network, efficiency, most, 1);
    }

    /** As {@link #firstBelow(Costs, Network, double, int)}, {@code roundsPerJob} rounds in each Spark job. */
    public static Optional<Integer> firstBelow(Costs costs, Network network, double efficiency, int most,
                                               int roundsPerJob) {
        double one = examplesPerSecond(costs, network, 1, roundsPerJob);
        for (int n = 2; n <= most; n++) {
            if (examplesPerSecond(costs, network, n, roundsPerJob) / one / n < efficiency) return Optional.of(n);
        }
        return Optional.empty();
    }

    /**
     * A round's exchange with the driver in a job of several rounds: N results into the driver's link, each taken
     * in, N averages out, one request and its answer.
     */
    static double exchangeMs(Costs costs, Network network, int workers) {
        return workers * exchangePerWorkerMs(costs, network) + network.latencyMs();
    }

    /** One worker's share of the exchange on the driver: its result taken in, its average sent out. */
    private static double exchangePerWorkerMs(Costs costs, Network network) {
        return takeInMs(costs, network) + network.transferMs(costs.transferBytes());
    }

    private static double rate(Costs costs, int workers, double roundMs) {
        return 1000.0 * workers * costs.examplesPerWorker() / roundMs;
    }

    /** Creating the broadcast, then its pieces: the driver's link sends N of them, the rest spread over N + 1. */
    static double broadcastMs(Costs costs, Network network, int workers) {
        long bytes = costs.transferBytes();
        long pieces = Math.max(1, (bytes + BROADCAST_PIECE_BYTES - 1) / BROADCAST_PIECE_BYTES);
        double piece = Math.min(bytes, BROADCAST_PIECE_BYTES);
        return costs.broadcastMs() + network.transferMs((workers + pieces - 1) * piece)
                + 2 * pieces * network.latencyMs();
    }

    /** Results through each level's links (reducers in parallel), the last level's into the driver, then apply. */
    static double aggregationMs(Costs costs, Network network, int workers, List<Integer> levels) {
        double ms = costs.applyMs();
        int results = workers;
        for (int partitions : levels) {
            ms += ceilDiv(results, partitions) * takeInMs(costs, network) + network.latencyMs();
            results = partitions;
        }
        return ms + results * takeInMs(costs, network) + network.latencyMs();
    }

    /** One result into its receiver: through the receiver's link, then its CPU. */
    private static double takeInMs(Costs costs, Network network) {
        return network.transferMs(costs.transferBytes()) + costs.resultMs();
    }

    /** A stage with one task per worker, and one more stage per aggregation level (the time between rounds aside). */
    static double stagesMs(Costs costs, int workers, List<Integer> levels) {
        double ms = costs.jobMs() + costs.taskMs() * workers;
        for (int partitions : levels) ms += costs.jobMs() + costs.taskMs() * partitions;
        return ms;
    }

    /**
     * The partitions of each extra level {@code treeAggregate} adds over {@code partitions} partial results, by
     * the rule of Spark's {@code RDD.treeAggregate} (3.x and 4.x): a level only while it saves wall-clock time.
     * Empty when the results go to the driver directly.
     */
    public static List<Integer> aggregationLevels(int partitions, int depth) {
        int scale = Math.max((int) Math.ceil(Math.pow(partitions, 1.0 / depth)), 2);
        List<Integer> levels = new ArrayList<>();
        int n = partitions;
        while (n > scale + (int) Math.ceil((double) n / scale)) {
            n /= scale;
            levels.add(n);
        }
        return levels;
    }

    /** The partial results {@code treeAggregate} sends to the driver at the end. */
    public static int treeAggregatePartitions(int partitions, int depth) {
        List<Integer> levels = aggregationLevels(partitions, depth);
        return levels.isEmpty() ? partitions : levels.get(levels.size() - 1);
    }

    /** The driver's serial time: per stage, per task launched, per result taken in. */
    @JsonPropertyOrder({"jobMs", "taskMs", "resultMs"})
    public record Scheduling(double jobMs, double taskMs, double resultMs) {
    }

    /**
     * The {@code schedulingMs} measured at each worker count (the job's time outside the workers) split into a part
     * per stage and a part per worker: the least-squares line, neither part below 0 (a falling line, which noise
     * gives, is taken as flat; one that would start below 0 is taken through 0). Up to five workers the driver both
     * launches a task and takes in a result per worker; the per-worker part is taken as the result's
     * ({@code resultMs}) beyond {@code taskMs} (default 0: it grew with the bytes of a result when measured). One
     * worker count gives no slope: all of it is per stage but {@code taskMs}.
     */
    public static Scheduling schedulingLine(Map<Integer, Double> schedulingMsByWorkers, Optional<Double> taskMs) {
        if (schedulingMsByWorkers.isEmpty()) throw new IllegalArgumentException("no scheduling measured");
        double meanX = schedulingMsByWorkers.keySet().stream().mapToDouble(Integer::doubleValue).average()
                .orElseThrow();
        double meanY = schedulingMsByWorkers.values().stream().mapToDouble(Double::doubleValue).average()
                .orElseThrow();
        double sxx = 0;
        double sxy = 0;
        double sx2 = 0;
        double sxy0 = 0;
        for (Map.Entry<Integer, Double> e : schedulingMsByWorkers.entrySet()) {
            sxx += (e.getKey() - meanX) * (e.getKey() - meanX);
            sxy += (e.getKey() - meanX) * (e.getValue() - meanY);
            sx2 += (double) e.getKey() * e.getKey();
            sxy0 += e.getKey() * e.getValue();
        }
        double slope = sxx == 0 ? 0 : Math.max(0, sxy / sxx);
        if (meanY - slope * meanX < 0) slope = sxy0 / sx2;
        double task = taskMs.orElse(0.0);
        double result = Math.max(0, slope - task);
        return new Scheduling(Math.max(0, meanY - (task + result) * meanX), task, result);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
