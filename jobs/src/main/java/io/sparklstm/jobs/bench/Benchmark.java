package io.sparklstm.jobs.bench;

import io.sparklstm.jobs.config.TrainingConfig;
import io.sparklstm.jobs.doctor.ExecutorProbes;
import io.sparklstm.jobs.train.AveragingRounds;
import io.sparklstm.model.ModelSpec;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The training benchmark: for every shape, the GEMM roofline, one plain process with each LSTM kernel (DL4J's
 * layer and ND4J's fused op), the ceiling for N workers (N plain fits side by side, nothing averaged), and
 * parameter averaging on Spark with each worker count, measured in one run so that the figures compare as ratios. "process" is the kernel that {@code model.kernel = auto} picks for the
 * shape, which is also what the Spark modes train.
 */
public final class Benchmark {

    private static final Logger LOG = LoggerFactory.getLogger(Benchmark.class);

    /**
     * What to measure. {@code repeats} times, every shape's measurements run one after another (roofline, each
     * kernel, each ceiling, each Spark mode) and each figure is the median of its repeats: on this shared 2-vCPU
     * machine one three-second figure moved by up to 40% between runs, and alternating the modes spreads a slow
     * spell over all of them instead of one.
     */
    public record Plan(List<Shape> shapes, List<Integer> workers, double seconds, double warmUpSeconds, int rounds,
                       boolean process, int repeats) {
        public Plan {
            if (repeats < 1) throw new IllegalArgumentException("repeats must be 1 or more: " + repeats);
        }
    }

    private Benchmark() {
    }

    /** Measures every shape of {@code plan}; one result per shape, in order. */
    public static List<BenchResult.ShapeFigures> run(JavaSparkContext sc, Plan plan, TrainingConfig tc, Path work)
            throws Exception {
        startExecutors(sc, plan.workers().stream().mapToInt(Integer::intValue).max().orElse(1));
        List<BenchResult.ShapeFigures> results = new ArrayList<>();
        int n = 0;
        for (Shape shape : plan.shapes()) {
            n++;
            Map<String, List<Double>> samples = new LinkedHashMap<>();
            Map<Integer, List<SparkThroughput.Measured>> spark = new LinkedHashMap<>();
            for (int repeat = 0; repeat < plan.repeats(); repeat++) {
                measure(sc, plan, tc, shape, work.resolve("shape-" + n + "-repeat-" + repeat), repeat == 0, spark)
                        .forEach((key, rate) -> samples.computeIfAbsent(key, k -> new ArrayList<>()).add(rate));
            }
            BenchResult.ShapeFigures r = result(shape, plan, tc, samples, spark);
            LOG.info("bench: {}: {}", shape, r);
            results.add(r);
        }
        return results;
    }

    /**
     * One measurement of every mode for {@code shape}: "gemm" in GFLOP/s, the others in examples per second
     * ("dl4j", "fused", "ceiling N", "spark N"). The Spark modes warm up for {@code warmUpSeconds} in the first
     * repeat and for one pass in the later ones (the JIT is warm by then). The times of the Spark modes' timed
     * rounds and empty rounds are added to {@code spark}, by worker count.
     */
    private static Map<String, Double> measure(JavaSparkContext sc, Plan plan, TrainingConfig tc, Shape shape,
                                               Path dir, boolean first,
                                               Map<Integer, List<SparkThroughput.Measured>> measured)
            throws Exception {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("gemm", Workloads.gemmGflops(shape, Math.min(plan.seconds(), 2.0)));
        if (plan.process()) {
            m.put("dl4j", Workloads.processExamplesPerSecond(shape, plan.seconds(), ModelSpec.Kernel.DL4J));
            m.put("fused", Workloads.processExamplesPerSecond(shape, plan.seconds(), ModelSpec.Kernel.FUSED));
            for (int workers : plan.workers()) {
                if (workers < 2) continue;
                m.put("ceiling " + workers, Workloads.parallelExamplesPerSecond(shape, plan.seconds(),
                        ModelSpec.Kernel.AUTO, workers));
            }
        }
        for (int workers : plan.workers()) {
            SparkThroughput.Measured spark = SparkThroughput.examplesPerSecond(sc, shape, tc, workers, plan.rounds(),
                    first ? plan.warmUpSeconds() : 0, plan.seconds(), dir.resolve("workers-" + workers));
            m.put("spark " + workers, spark.examplesPerSecond());
            measured.computeIfAbsent(workers, w -> new ArrayList<>()).add(spark);
        }
        return m;
    }

    /** The figures of one shape from the medians of its samples; with repeats, each mode keeps its samples. */
    private static BenchResult.ShapeFigures result(Shape shape, Plan plan, TrainingConfig tc,
                                                   Map<String, List<Double>> samples,
                                                   Map<Integer, List<SparkThroughput.Measured>> measured) {
        boolean repeated = plan.repeats() > 1;
        double roofline = median(samples.get("gemm"));
        double process = Double.NaN;
        BenchResult.Mode processMode = null;
        BenchResult.Kernels kernels = null;
        Map<String, BenchResult.Mode> ceiling = null;
        if (plan.process()) {
            double dl4j = median(samples.get("dl4j"));
            double fused = median(samples.get("fused"));
            boolean autoFused = Workloads.spec(shape, 1, ModelSpec.Kernel.AUTO).fused();
            process = autoFused ? fused : dl4j;
            processMode = mode(shape, samples.get(autoFused ? "fused" : "dl4j"), roofline, Double.NaN)
                    .withKernel(autoFused ? "fused" : "dl4j");
            kernels = new BenchResult.Kernels(mode(shape, samples.get("dl4j"), roofline, Double.NaN),
                    mode(shape, samples.get("fused"), roofline, Double.NaN), round(fused / dl4j));
            Map<String, BenchResult.Mode> byWorkers = new LinkedHashMap<>();
            for (int workers : plan.workers()) {
                if (workers < 2) continue;
                byWorkers.put(Integer.toString(workers), mode(shape, samples.get("ceiling " + workers), roofline,
                        process));
            }
            if (!byWorkers.isEmpty()) ceiling = byWorkers;
        }
        Map<String, BenchResult.Mode> spark = new LinkedHashMap<>();
        for (int workers : plan.workers()) {
            spark.put(Integer.toString(workers), averaging(shape, tc, workers, samples, roofline, process,
                    RoundBreakdown.of(all(measured.get(workers), SparkThroughput.Measured::rounds)),
                    median(all(measured.get(workers), SparkThroughput.Measured::emptyRoundMs))));
        }
        return new BenchResult.ShapeFigures(shape.inputs(), shape.units(), shape.steps(), shape.minibatch(),
                shape.trainingFlopsPerExample(), repeated ? plan.repeats() : null, round(roofline),
                repeated ? rounded(samples.get("gemm")) : null, processMode, kernels, ceiling,
                spark.isEmpty() ? null : spark);
    }

    /** Parameter averaging on {@code workers}: its rate, against one process and against the ceiling. */
    private static BenchResult.Mode averaging(Shape shape, TrainingConfig tc, int workers,
                                              Map<String, List<Double>> samples, double roofline, double process,
                                              RoundBreakdown breakdown, double emptyRoundMs) {
        double rate = median(samples.get("spark " + workers));
        double bound = workers == 1 ? process : Double.NaN;
        Double vsCeiling = null;
        List<Double> ceilingSamples = samples.get("ceiling " + workers);
        if (ceilingSamples != null) {
            bound = median(ceilingSamples);
            vsCeiling = round(rate / bound);
        }
        // one round's wall time, and what of it the same examples would not take at the rate of plain fits
        // (one process for one worker, the ceiling for N): Spark's and the averaging's cost per round
        // with training.averagingSeconds: the median round's size
        AveragingRounds planned = AveragingRounds.of(tc, shape.minibatch(), workers);
        double examplesPerRound = tc.timedAveraging()
                ? breakdown.minibatchesPerWorker() * planned.batch() * workers : planned.examplesPerRound();
        Double overheadMs = Double.isFinite(bound) ? round(1000 * examplesPerRound * (1 / rate - 1 / bound)) : null;
        // the workers' fitting of one round at the ceiling's rate, and what Spark's empty round leaves of it
        Double attainable = vsCeiling == null ? null
                : round(attainable(1000 * examplesPerRound / bound, emptyRoundMs));
        return mode(shape, samples.get("spark " + workers), roofline, process).withAveraging(
                round(rate / workers / process), vsCeiling, round(1000 * examplesPerRound / rate), overheadMs,
                round(emptyRoundMs), attainable, breakdown);
    }

    /** What every measurement of one worker count holds of one kind (its rounds, its empty rounds), in order. */
    private static <T> List<T> all(List<SparkThroughput.Measured> measured,
                                   java.util.function.Function<SparkThroughput.Measured, List<T>> part) {
        return measured.stream().flatMap(m -> part.apply(m).stream()).toList();
    }

    /** The share of a round of {@code fitMs} of fitting that is fitting when the round also costs an empty one. */
    static double attainable(double fitMs, double emptyRoundMs) {
        return fitMs / (fitMs + emptyRoundMs);
    }

    /**
     * On a cluster, executors start (a JVM each, then ND4J's native libraries at their first array) while the
     * driver goes on: without waiting for them, the first shape's one-process figures were measured beside those
     * starts (a cluster run on this machine gave 0.4x of the next run's rate for them). Waits up to a minute for
     * executors enough for {@code workers} tasks at once, and loads ND4J in each (doctor's executor probe).
     */
    static void startExecutors(JavaSparkContext sc, int workers) throws InterruptedException {
        if (sc.isLocal()) return;
        int loaded = ExecutorProbes.probe(sc, workers, Duration.ofMinutes(1)).size();
        LOG.info("bench: {} executors up, ND4J loaded in {}", ExecutorProbes.registeredExecutors(sc), loaded);
    }

    /** The median: the middle sample, or the mean of the middle two. */
    static double median(List<Double> samples) {
        if (samples == null || samples.isEmpty()) throw new IllegalArgumentException("no samples");
        List<Double> sorted = new ArrayList<>(samples);
        sorted.sort(null);
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }

    private static List<Double> rounded(List<Double> samples) {
        return samples.stream().map(Benchmark::round).toList();
    }

    private static BenchResult.Mode mode(Shape shape, List<Double> samples, double roofline, double process) {
        double examplesPerSecond = median(samples);
        double gflops = examplesPerSecond * shape.trainingFlopsPerExample() / 1e9;
        return new BenchResult.Mode(round(examplesPerSecond), round(gflops), round(gflops / roofline),
                Double.isFinite(process) ? round(examplesPerSecond / process) : null,
                samples.size() > 1 ? rounded(samples) : null, null, null, null, null, null, null, null, null);
    }

    /** Where the figures were measured. */
    public static BenchResult.Machine machine(JavaSparkContext sc) {
        return new BenchResult.Machine(Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                Nd4j.getBackend().getClass().getSimpleName(), String.valueOf(Nd4j.factory().blas().getBlasVendor()),
                Nd4j.getEnvironment().maxThreads(), String.valueOf(System.getenv("OMP_NUM_THREADS")), sc.master(),
                sc.defaultParallelism());
    }

    /** The results as a plain-text table. */
    public static String table(List<BenchResult.ShapeFigures> results, List<Integer> workers) {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "%6s %6s %5s %10s %10s %10s %10s %12s %9s %8s", "units", "steps",
                "batch", "gemm GF/s", "dl4j ex/s", "fused ex/s", "fused/dl4j", "process ex/s", "GF/s", "roofline"));
        for (int w : workers) {
            if (w > 1) t.append(String.format(Locale.ROOT, " %7s", "ceil x" + w));
            t.append(String.format(Locale.ROOT, " %13s %7s %7s", "spark x" + w + " ex/s", "vs proc", "ovh ms"));
            if (w > 1) t.append(String.format(Locale.ROOT, " %7s", "vs ceil"));
        }
        t.append('\n');
        for (BenchResult.ShapeFigures r : results) {
            Optional<BenchResult.Mode> p = Optional.ofNullable(r.process());
            Optional<BenchResult.Kernels> k = Optional.ofNullable(r.kernels());
            t.append(String.format(Locale.ROOT, "%6s %6s %5s %10s %10s %10s %10s %12s %9s %8s", r.units(),
                    r.steps(), r.minibatch(), fmt(r.gemmGflops()),
                    fmt(k.map(x -> x.dl4j().examplesPerSecond()).orElse(null)),
                    fmt(k.map(x -> x.fused().examplesPerSecond()).orElse(null)),
                    k.map(x -> fmt(x.fusedVsDl4j()) + "x").orElse("-"),
                    fmt(p.map(BenchResult.Mode::examplesPerSecond).orElse(null))
                            + p.map(x -> " " + x.kernel()).orElse(""),
                    fmt(p.map(BenchResult.Mode::gflops).orElse(null)),
                    percent(p.map(BenchResult.Mode::ofRoofline).orElse(null))));
            Map<String, BenchResult.Mode> spark = r.spark() == null ? Map.of() : r.spark();
            Map<String, BenchResult.Mode> ceiling = r.ceiling() == null ? Map.of() : r.ceiling();
            for (int w : workers) {
                Optional<BenchResult.Mode> s = Optional.ofNullable(spark.get(Integer.toString(w)));
                Optional<BenchResult.Mode> c = Optional.ofNullable(ceiling.get(Integer.toString(w)));
                if (w > 1) t.append(String.format(Locale.ROOT, " %7s", ratio(c.map(BenchResult.Mode::vsProcess))));
                t.append(String.format(Locale.ROOT, " %13s %7s %7s",
                        fmt(s.map(BenchResult.Mode::examplesPerSecond).orElse(null)),
                        ratio(s.map(BenchResult.Mode::vsProcess)), s.map(BenchResult.Mode::overheadMs)
                                .map(o -> String.format(Locale.ROOT, "%.0f", o)).orElse("-")));
                if (w > 1) t.append(String.format(Locale.ROOT, " %7s", ratio(s.map(BenchResult.Mode::vsCeiling))));
            }
            t.append('\n');
        }
        return t.toString();
    }

    /**
     * Where parameter averaging's rounds went: per shape and worker count, the median round and its parts in ms
     * (the worker parts are the slowest worker's), and the overhead beyond fitting as a share of the round.
     */
    public static String roundTable(List<BenchResult.ShapeFigures> results, List<Integer> workers) {
        StringBuilder t = new StringBuilder("averaging rounds, median ms per round (worker: the slowest; mb/w: "
                + "minibatches per worker; empty: a round with nothing read or fitted; attainable: the most of the "
                + "ceiling rounds of this size reach over an empty round)\n");
        t.append(String.format(Locale.ROOT, "%6s %6s %5s %7s %5s %7s %9s %10s %8s %8s %8s %6s %8s %9s %6s %6s %10s%n",
                "units", "steps", "batch", "workers", "mb/w", "round", "broadcast", "scheduling", "w. init", "w. fit",
                "w. other",
                "apply", "overhead", "overhead%", "built", "empty", "attainable"));
        for (BenchResult.ShapeFigures r : results) {
            Map<String, BenchResult.Mode> spark = r.spark() == null ? Map.of() : r.spark();
            for (int w : workers) {
                BenchResult.Mode s = spark.get(Integer.toString(w));
                if (s == null || s.rounds() == null) continue;
                RoundBreakdown b = s.rounds();
                t.append(String.format(Locale.ROOT, "%6s %6s %5s %7s %5s %7s %9s %10s %8s %8s %8s %6s %8s %9s %6s %6s %10s%n",
                        r.units(), r.steps(), r.minibatch(), w, ms(b.minibatchesPerWorker()), ms(b.roundMs()),
                        ms(b.broadcastMs()),
                        ms(b.schedulingMs()), ms(b.workerInitMs()), ms(b.workerFitMs()), ms(b.workerOtherMs()),
                        ms(b.applyMs()), ms(b.overheadMs()), percent(b.overheadFraction()),
                        b.networksBuilt() == null ? "-" : b.networksBuilt() + "/" + b.rounds() * w,
                        ms(s.emptyRoundMs()), ratio(Optional.ofNullable(s.attainableVsCeiling()))));
            }
        }
        return t.toString();
    }

    private static String ms(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, v >= 10 ? "%.0f" : "%.1f", v);
    }

    private static String fmt(Object v) {
        if (!(v instanceof Number n)) return "-";
        double d = n.doubleValue();
        return d >= 100 ? String.format(Locale.ROOT, "%.0f", d) : String.format(Locale.ROOT, "%.2f", d);
    }

    private static String ratio(Optional<Double> v) {
        return v.map(x -> fmt(x) + "x").orElse("-");
    }

    private static String percent(Object v) {
        return v instanceof Number n ? String.format(Locale.ROOT, "%.0f%%", 100 * n.doubleValue()) : "-";
    }

    /** Four significant digits: tiny shapes have tiny GFLOP/s. */
    static double round(double v) {
        return Double.isFinite(v) && v != 0
                ? new java.math.BigDecimal(v).round(new java.math.MathContext(4)).doubleValue() : v;
    }
}
