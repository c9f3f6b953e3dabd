package io.sparklstm.jobs.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import io.sparklstm.prep.io.InputDataException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToLongFunction;

/**
 * {@link ScalingModel} applied to a {@code bench.json}: each shape's parameter-averaging costs as measured (the
 * {@code rounds} breakdown of its Spark modes) in, predicted rounds for each worker count out, beside the measured
 * rate where the bench measured that count.
 *
 * <p>The per-worker costs (fitting, the worker's other time, the driver's broadcast, apply and time between
 * rounds) are those of the smallest worker count used; scheduling per stage and per task is the line through the {@code schedulingMs} of
 * every worker count used ({@link ScalingModel#schedulingLine}).
 */
public final class BenchScaling {

    private BenchScaling() {
    }

    /**
     * What to predict.
     *
     * @param workers     worker counts to predict (one worker is always added: the speed-up's base)
     * @param taskMs      scheduling per task, instead of the slope of the measured scheduling
     * @param fromWorkers the measured worker counts to take costs from; empty: all measured
     * @param roundsPerJob the averaging rounds in each Spark job to predict ({@code training.roundsPerJob}; 1: one
     *                     job per round)
     */
    public record Settings(List<Integer> workers, ScalingModel.Network network, Optional<Double> taskMs,
                           List<Integer> fromWorkers, int roundsPerJob) {
        public Settings {
            if (roundsPerJob < 1) throw new IllegalArgumentException("rounds per job must be 1 or more: "
                    + roundsPerJob);
            TreeSet<Integer> all = new TreeSet<>(workers);
            all.add(1);
            if (all.first() < 1) throw new IllegalArgumentException("worker counts must be 1 or more: " + workers);
            workers = List.copyOf(all);
            fromWorkers = List.copyOf(new TreeSet<>(fromWorkers));
            if (taskMs.isPresent() && !(taskMs.get() >= 0)) {
                throw new IllegalArgumentException("scheduling per task must be 0 ms or more: " + taskMs.get());
            }
        }

        /** One job per round. */
        public Settings(List<Integer> workers, ScalingModel.Network network, Optional<Double> taskMs,
                        List<Integer> fromWorkers) {
            this(workers, network, taskMs, fromWorkers, 1);
        }
    }

    /** One predicted round, and the rate the bench measured at that worker count with the prediction's error. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Row(@JsonUnwrapped ScalingModel.Round predicted, Double measuredExamplesPerSecond, Double error) {
    }

    /**
     * One shape's prediction.
     *
     * @param fromWorkers           the measured worker counts whose costs were used
     * @param ceilingExamplesPerSecond the rate examples/s approaches as workers are added and never reaches
     *                                 ({@link ScalingModel#ceilingExamplesPerSecond}); absent if none
     * @param halfEfficiencyWorkers    the first worker count, up to 1024, below 50% efficiency; absent if none
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"inputs", "units", "steps", "minibatch", "network", "roundsPerJob", "fromWorkers", "costs",
            "rounds", "ceilingExamplesPerSecond", "halfEfficiencyWorkers"})
    public record ShapeScaling(int inputs, int units, int steps, int minibatch, ScalingModel.Network network,
                               int roundsPerJob, List<Integer> fromWorkers, ScalingModel.Costs costs, List<Row> rounds,
                               Double ceilingExamplesPerSecond, Integer halfEfficiencyWorkers) {
    }

    /** Worker counts searched for the 50% point. */
    static final int SEARCH_WORKERS = 1024;

    /** Every shape of {@code bench} (a {@code bench.json}'s tree), with the benchmark network's transfer bytes. */
    public static List<ShapeScaling> of(JsonNode bench, Settings settings) {
        return of(bench, settings, Workloads::transferBytes);
    }

    /** As {@link #of(JsonNode, Settings)}, with the bytes per transfer of each shape from {@code transferBytes}. */
    static List<ShapeScaling> of(JsonNode bench, Settings settings, ToLongFunction<Shape> transferBytes) {
        int averagingFrequency = required(bench, "averagingFrequency", "").asInt();
        int measuredRoundsPerJob = bench.path("roundsPerJob").asInt(1); // before it was written: one job per round
        if (measuredRoundsPerJob != 1) {
            throw new InputDataException("the bench ran " + measuredRoundsPerJob + " averaging rounds per Spark job "
                    + "(training.roundsPerJob): the scaling model takes its costs per round as one job per round "
                    + "measures them; measure with training.roundsPerJob = 1 and predict either mode with "
                    + "--rounds-per-job");
        }
        JsonNode results = bench.path("results");
        if (!results.isArray() || results.isEmpty()) {
            throw new InputDataException("no throughput results (\"results\" is empty or missing): measure with "
                    + "bench --workers before modelling the scaling");
        }
        List<ShapeScaling> out = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            out.add(shape(results.get(i), "results[" + i + "]", averagingFrequency, settings, transferBytes));
        }
        return out;
    }

    private static ShapeScaling shape(JsonNode r, String where, int averagingFrequency, Settings settings,
                                      ToLongFunction<Shape> transferBytes) {
        Shape shape = new Shape(required(r, "inputs", where).asInt(), required(r, "units", where).asInt(),
                required(r, "steps", where).asInt(), required(r, "minibatch", where).asInt());
        String at = where + " (" + shape + ")";
        Map<Integer, JsonNode> measured = measured(r, at);
        List<Integer> from = settings.fromWorkers().isEmpty() ? List.copyOf(measured.keySet()) : settings.fromWorkers();
        for (int w : from) {
            if (!measured.containsKey(w)) {
                throw new InputDataException(at + ": no parameter averaging measured on " + w + " worker(s) (measured: "
                        + measured.keySet() + ")");
            }
        }
        String base = at + ": spark." + from.get(0) + ".rounds";
        JsonNode rounds = measured.get(from.get(0)).path("rounds");
        Map<Integer, Double> scheduling = new TreeMap<>();
        for (int w : from) scheduling.put(w, required(measured.get(w).path("rounds"), "schedulingMs", at + ": spark." + w
                + ".rounds").asDouble());
        ScalingModel.Scheduling line = ScalingModel.schedulingLine(scheduling, settings.taskMs());
        ScalingModel.Costs costs = new ScalingModel.Costs(shape.minibatch(), averagingFrequency,
                required(rounds, "workerFitMs", base).asDouble() / averagingFrequency,
                required(rounds, "workerInitMs", base).asDouble() + required(rounds, "workerOtherMs", base).asDouble(),
                required(rounds, "broadcastMs", base).asDouble(), line.jobMs(), line.taskMs(), line.resultMs(),
                required(rounds, "applyMs", base).asDouble(), betweenMs(measured.get(from.get(0)), base),
                transferBytes.applyAsLong(shape));
        ScalingModel.Network network = settings.network();
        int k = settings.roundsPerJob();
        List<Row> rows = new ArrayList<>();
        for (ScalingModel.Round round : ScalingModel.predict(costs, network, settings.workers(),
                k)) {
            // measured with one job per round: a rate to compare with only when predicting that mode
            Optional<Double> rate = Optional.ofNullable(k == 1 ? measured.get(round.workers()) : null)
                    .map(m -> m.path("examplesPerSecond").asDouble());
            rows.add(new Row(round, rate.orElse(null), rate.map(x -> Benchmark.round(round.examplesPerSecond() / x - 1))
                    .orElse(null)));
        }
        return new ShapeScaling(shape.inputs(), shape.units(), shape.steps(), shape.minibatch(), network, k, from,
                costs, rows,
                ScalingModel.ceilingExamplesPerSecond(costs, network, k).map(Benchmark::round).orElse(null),
                ScalingModel.firstBelow(costs, network, 0.5, SEARCH_WORKERS, k).orElse(null));
    }

    /**
     * The driver's time per round outside the round: the round time of the rate (examples per round over examples
     * per second, all passes included) beyond the median measured round; 0 where noise puts it below.
     */
    private static double betweenMs(JsonNode mode, String where) {
        double rateRound = required(mode, "roundMs", where.substring(0, where.lastIndexOf(".rounds"))).asDouble();
        return Math.max(0, rateRound - required(mode.path("rounds"), "roundMs", where).asDouble());
    }

    /** The Spark modes with the round breakdown's worker figures, by worker count. */
    private static Map<Integer, JsonNode> measured(JsonNode r, String at) {
        Map<Integer, JsonNode> measured = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = r.path("spark").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int workers;
            try {
                workers = Integer.parseInt(e.getKey());
            } catch (NumberFormatException ex) {
                throw new InputDataException(at + ": spark." + e.getKey() + " is not a worker count");
            }
            if (!e.getValue().path("rounds").has("workerFitMs")) {
                throw new InputDataException(at + ": spark." + workers + ".rounds has no workers' times (measured "
                        + "with training.reuseWorkerNetworks = false, or by an older bench): measure again");
            }
            measured.put(workers, e.getValue());
        }
        if (measured.isEmpty()) {
            throw new InputDataException(at + ": no parameter averaging measured (\"spark\" is missing): measure with "
                    + "bench --workers 1 or more");
        }
        return measured;
    }

    private static JsonNode required(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isNumber()) {
            throw new InputDataException((where.isEmpty() ? "" : where + ": ") + field + " is missing or not a number");
        }
        return v;
    }

    /** The predictions as a plain-text table per shape. */
    public static String table(List<ShapeScaling> shapes) {
        StringBuilder t = new StringBuilder();
        for (ShapeScaling s : shapes) {
            ScalingModel.Costs c = s.costs();
            t.append(String.format(Locale.ROOT, "scaling model: units %d, steps %d, minibatch %d; %s, %s ms latency; "
                            + "%,d bytes per broadcast and per result; %s%n  from %s worker(s): fit %.1f ms per "
                            + "minibatch x %d, worker %.1f ms, broadcast %.1f ms, apply %.1f ms, scheduling %.1f ms per stage "
                            + "+ %.1f ms per task, %.1f ms per result, %.1f ms between rounds%n", s.units(), s.steps(),
                    s.minibatch(),
                    bandwidth(s.network().bitsPerSecond()), fmt(s.network().latencyMs()), c.transferBytes(),
                    s.roundsPerJob() == 1 ? "one Spark job per round"
                            : s.roundsPerJob() + " rounds per Spark job (through the driver's socket)",
                    s.fromWorkers(), c.fitMsPerMinibatch(), c.averagingFrequency(), c.workerMs(), c.broadcastMs(),
                    c.applyMs(), c.jobMs(), c.taskMs(), c.resultMs(), c.betweenMs()));
            t.append(String.format(Locale.ROOT, "%8s %9s %8s %7s %9s %11s %10s %10s %8s %6s %-11s %9s %6s%n", "workers",
                    "round ms", "compute", "worker", "broadcast", "aggregation", "scheduling", "ex/s", "speedup",
                    "effic.", "dominant", "measured", "error"));
            for (Row row : s.rounds()) {
                ScalingModel.Round p = row.predicted();
                t.append(String.format(Locale.ROOT, "%8d %9s %8s %7s %9s %11s %10s %10s %8s %6s %-11s %9s %6s%n",
                        p.workers(), fmt(p.roundMs()), fmt(p.computeMs()), fmt(p.workerMs()), fmt(p.broadcastMs()),
                        fmt(p.aggregationMs()), fmt(p.schedulingMs()), fmt(p.examplesPerSecond()),
                        String.format(Locale.ROOT, "%.2fx", p.speedup()),
                        String.format(Locale.ROOT, "%.0f%%", 100 * p.efficiency()),
                        p.dominant().name().toLowerCase(Locale.ROOT),
                        row.measuredExamplesPerSecond() == null ? "-" : fmt(row.measuredExamplesPerSecond()),
                        row.error() == null ? "-" : String.format(Locale.ROOT, "%+.0f%%", 100 * row.error())));
            }
            t.append(String.format(Locale.ROOT, "  ceiling: %s ex/s; efficiency below 50%% from %s%n",
                    s.ceilingExamplesPerSecond() == null ? "none" : fmt(s.ceilingExamplesPerSecond()),
                    s.halfEfficiencyWorkers() == null ? "no count up to " + SEARCH_WORKERS
                            : s.halfEfficiencyWorkers() + " workers"));
        }
        return t.toString();
    }

    private static String bandwidth(double bitsPerSecond) {
        return bitsPerSecond >= 1e9 ? fmt(bitsPerSecond / 1e9) + " Gb/s" : fmt(bitsPerSecond / 1e6) + " Mb/s";
    }

    private static String fmt(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : v >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }
}
