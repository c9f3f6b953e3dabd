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

    /** Measures every shape of {@code plan}; one result map per shape, in order. */
    public static List<Map<String, Object>> run(JavaSparkContext sc, Plan plan, TrainingConfig tc, Path work)
            throws Exception {
        startExecutors(sc, plan.workers().stream().mapToInt(Integer::intValue).max().orElse(1));
        List<Map<String, Object>> results = new ArrayList<>();
        int n = 0;
        for (Shape shape : plan.shapes()) {
            n++;
            Map<String, List<Double>> samples = new LinkedHashMap<>();
            for (int repeat = 0; repeat < plan.repeats(); repeat++) {
                measure(sc, plan, tc, shape, work.resolve("shape-" + n + "-repeat-" + repeat), repeat == 0)
                        .forEach((key, rate) -> samples.computeIfAbsent(key, k -> new ArrayList<>()).add(rate));
            }
            Map<String, Object> r = result(shape, plan, tc, samples);
            LOG.info("bench: {}: {}", shape, r);
            results.add(r);
        }
        return results;
    }

    /**
     * One measurement of every mode for {@code shape}: "gemm" in GFLOP/s, the others in examples per second
     * ("dl4j", "fused", "ceiling N", "spark N"). The Spark modes warm up for {@code warmUpSeconds} in the first
     * repeat and for one pass in the later ones (the JIT is warm by then).
     */
    private static Map<String, Double> measure(JavaSparkContext sc, Plan plan, TrainingConfig tc, Shape shape,
                                               Path dir, boolean first) throws Exception {
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
            m.put("spark " + workers, SparkThroughput.examplesPerSecond(sc, shape, tc, workers, plan.rounds(),
                    first ? plan.warmUpSeconds() : 0, plan.seconds(), dir.resolve("workers-" + workers)));
        }
        return m;
    }

    /** The result map of one shape from the medians of its samples; with repeats, each mode keeps its samples. */
    private static Map<String, Object> result(Shape shape, Plan plan, TrainingConfig tc,
                                              Map<String, List<Double>> samples) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("inputs", shape.inputs());
        r.put("units", shape.units());
        r.put("steps", shape.steps());
        r.put("minibatch", shape.minibatch());
        r.put("trainingFlopsPerExample", shape.trainingFlopsPerExample());
        if (plan.repeats() > 1) r.put("repeats", plan.repeats());
        double roofline = median(samples.get("gemm"));
        r.put("gemmGflops", round(roofline));
        if (plan.repeats() > 1) r.put("gemmGflopsSamples", rounded(samples.get("gemm")));
        double process = Double.NaN;
        if (plan.process()) {
            double dl4j = median(samples.get("dl4j"));
            double fused = median(samples.get("fused"));
            boolean autoFused = Workloads.spec(shape, 1, ModelSpec.Kernel.AUTO).fused();
            process = autoFused ? fused : dl4j;
            Map<String, Object> p = mode(shape, samples.get(autoFused ? "fused" : "dl4j"), roofline, Double.NaN);
            p.put("kernel", autoFused ? "fused" : "dl4j");
            r.put("process", p);
            Map<String, Object> kernels = new LinkedHashMap<>();
            kernels.put("dl4j", mode(shape, samples.get("dl4j"), roofline, Double.NaN));
            kernels.put("fused", mode(shape, samples.get("fused"), roofline, Double.NaN));
            kernels.put("fusedVsDl4j", round(fused / dl4j));
            r.put("kernels", kernels);
            Map<String, Object> ceiling = new LinkedHashMap<>();
            for (int workers : plan.workers()) {
                if (workers < 2) continue;
                ceiling.put(Integer.toString(workers), mode(shape, samples.get("ceiling " + workers), roofline, process));
            }
            if (!ceiling.isEmpty()) r.put("ceiling", ceiling);
        }
        Map<String, Object> spark = new LinkedHashMap<>();
        for (int workers : plan.workers()) {
            double rate = median(samples.get("spark " + workers));
            Map<String, Object> m = mode(shape, samples.get("spark " + workers), roofline, process);
            m.put("perWorkerVsProcess", round(rate / workers / process));
            double bound = workers == 1 ? process : Double.NaN;
            List<Double> ceilingSamples = samples.get("ceiling " + workers);
            if (ceilingSamples != null) {
                bound = median(ceilingSamples);
                m.put("vsCeiling", round(rate / bound));
            }
            // one round's wall time, and what of it the same examples would not take at the rate of plain fits
            // (one process for one worker, the ceiling for N): Spark's and the averaging's cost per round
            double examplesPerRound = AveragingRounds.of(tc, shape.minibatch(), workers).examplesPerRound();
            m.put("roundMs", round(1000 * examplesPerRound / rate));
            if (Double.isFinite(bound)) m.put("overheadMs", round(1000 * examplesPerRound * (1 / rate - 1 / bound)));
            spark.put(Integer.toString(workers), m);
        }
        if (!spark.isEmpty()) r.put("spark", spark);
        return r;
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

    private static Map<String, Object> mode(Shape shape, List<Double> samples, double roofline, double process) {
        Map<String, Object> m = mode(shape, median(samples), roofline, process);
        if (samples.size() > 1) m.put("examplesPerSecondSamples", rounded(samples));
        return m;
    }

    private static Map<String, Object> mode(Shape shape, double examplesPerSecond, double roofline, double process) {
        Map<String, Object> m = new LinkedHashMap<>();
        double gflops = examplesPerSecond * shape.trainingFlopsPerExample() / 1e9;
        m.put("examplesPerSecond", round(examplesPerSecond));
        m.put("gflops", round(gflops));
        m.put("ofRoofline", round(gflops / roofline));
        if (Double.isFinite(process)) m.put("vsProcess", round(examplesPerSecond / process));
        return m;
    }

    /** Where the figures were measured. */
    public static Map<String, Object> machine(JavaSparkContext sc) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("nd4jBackend", Nd4j.getBackend().getClass().getSimpleName());
        m.put("blas", String.valueOf(Nd4j.factory().blas().getBlasVendor()));
        m.put("nd4jThreads", Nd4j.getEnvironment().maxThreads());
        m.put("OMP_NUM_THREADS", String.valueOf(System.getenv("OMP_NUM_THREADS")));
        m.put("sparkMaster", sc.master());
        m.put("sparkDefaultParallelism", sc.defaultParallelism());
        return m;
    }

    /** The results as a plain-text table. */
    public static String table(List<Map<String, Object>> results, List<Integer> workers) {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "%6s %6s %5s %10s %10s %10s %10s %12s %9s %8s", "units", "steps",
                "batch", "gemm GF/s", "dl4j ex/s", "fused ex/s", "fused/dl4j", "process ex/s", "GF/s", "roofline"));
        for (int w : workers) {
            if (w > 1) t.append(String.format(Locale.ROOT, " %7s", "ceil x" + w));
            t.append(String.format(Locale.ROOT, " %13s %7s %7s", "spark x" + w + " ex/s", "vs proc", "ovh ms"));
            if (w > 1) t.append(String.format(Locale.ROOT, " %7s", "vs ceil"));
        }
        t.append('\n');
        for (Map<String, Object> r : results) {
            Map<?, ?> p = r.get("process") instanceof Map<?, ?> m ? m : Map.of();
            Map<?, ?> k = r.get("kernels") instanceof Map<?, ?> m ? m : Map.of();
            Map<?, ?> dl4j = k.get("dl4j") instanceof Map<?, ?> m ? m : Map.of();
            Map<?, ?> fused = k.get("fused") instanceof Map<?, ?> m ? m : Map.of();
            t.append(String.format(Locale.ROOT, "%6s %6s %5s %10s %10s %10s %10s %12s %9s %8s", r.get("units"),
                    r.get("steps"), r.get("minibatch"), fmt(r.get("gemmGflops")), fmt(dl4j.get("examplesPerSecond")),
                    fmt(fused.get("examplesPerSecond")), k.get("fusedVsDl4j") == null ? "-" : fmt(k.get("fusedVsDl4j")) + "x",
                    fmt(p.get("examplesPerSecond")) + (p.get("kernel") == null ? "" : " " + p.get("kernel")),
                    fmt(p.get("gflops")), percent(p.get("ofRoofline"))));
            Map<?, ?> spark = r.get("spark") instanceof Map<?, ?> m ? m : Map.of();
            Map<?, ?> ceiling = r.get("ceiling") instanceof Map<?, ?> m ? m : Map.of();
            for (int w : workers) {
                Map<?, ?> s = spark.get(Integer.toString(w)) instanceof Map<?, ?> m ? m : Map.of();
                Map<?, ?> c = ceiling.get(Integer.toString(w)) instanceof Map<?, ?> m ? m : Map.of();
                if (w > 1) t.append(String.format(Locale.ROOT, " %7s", ratio(c.get("vsProcess"))));
                t.append(String.format(Locale.ROOT, " %13s %7s %7s", fmt(s.get("examplesPerSecond")),
                        ratio(s.get("vsProcess")), s.get("overheadMs") instanceof Number o
                                ? String.format(Locale.ROOT, "%.0f", o.doubleValue()) : "-"));
                if (w > 1) t.append(String.format(Locale.ROOT, " %7s", ratio(s.get("vsCeiling"))));
            }
            t.append('\n');
        }
        return t.toString();
    }

    private static String fmt(Object v) {
        if (!(v instanceof Number n)) return "-";
        double d = n.doubleValue();
        return d >= 100 ? String.format(Locale.ROOT, "%.0f", d) : String.format(Locale.ROOT, "%.2f", d);
    }

    private static String ratio(Object v) {
        return v == null ? "-" : fmt(v) + "x";
    }

    private static String percent(Object v) {
        return v instanceof Number n ? String.format(Locale.ROOT, "%.0f%%", 100 * n.doubleValue()) : "-";
    }

    /** Four significant digits: tiny shapes have tiny GFLOP/s. */
    private static double round(double v) {
        return Double.isFinite(v) && v != 0
                ? new java.math.BigDecimal(v).round(new java.math.MathContext(4)).doubleValue() : v;
    }
}
