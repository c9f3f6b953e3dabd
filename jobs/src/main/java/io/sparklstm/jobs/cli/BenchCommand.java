package io.sparklstm.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparklstm.jobs.bench.Benchmark;
import io.sparklstm.jobs.bench.StatisticalEfficiency;
import io.sparklstm.jobs.bench.BenchReport;
import io.sparklstm.jobs.bench.BenchResult;
import io.sparklstm.jobs.bench.BenchScaling;
import io.sparklstm.jobs.bench.Shape;
import io.sparklstm.jobs.config.ConfigException;
import io.sparklstm.jobs.config.JobConfig;
import io.sparklstm.model.Json;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code bench}: training throughput against the GEMM roofline, one process against parameter averaging. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark LSTM training: ND4J's GEMM rate at the gate-GEMM shape (the roofline), one plain "
                + "process (MultiLayerNetwork.fit) and dl4j-spark parameter averaging with each worker count, "
                + "on random data. Writes bench.json and bench.html and prints a table.")
final class BenchCommand extends JobCommand {

    @Option(names = "--units", split = ",", defaultValue = "64,128,256,512", description = "Units (default: ${DEFAULT-VALUE}).")
    List<Integer> units;

    @Option(names = "--steps", split = ",", defaultValue = "50,100", description = "Time steps (default: ${DEFAULT-VALUE}).")
    List<Integer> steps;

    @Option(names = "--minibatch", split = ",", defaultValue = "32,64", description = "Minibatch sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> minibatch;

    @Option(names = "--inputs", defaultValue = "8", description = "Features per step (default: ${DEFAULT-VALUE}).")
    int inputs;

    @Option(names = "--workers", defaultValue = "1,2", paramLabel = "N[,N...]",
            description = "Parameter-averaging worker counts to measure; \"\" (empty) for none (default: ${DEFAULT-VALUE}).")
    String workersOption;

    /** {@code --workers} as numbers: picocli's split list cannot be empty. */
    private List<Integer> workers = List.of();

    @Option(names = "--skip-process", description = "Do not measure one plain process.")
    boolean skipProcess;

    @Option(names = "--seconds", defaultValue = "4", description = "Seconds each measurement is timed for, at least (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--rounds", defaultValue = "3", description = "Averaging rounds in each pass over a Spark measurement's minibatch files; "
            + "passes warm up for --warm-up seconds, then are timed for --seconds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warm-up", paramLabel = "SECONDS", description = "Seconds each Spark mode trains before it is timed "
            + "(default: --seconds). On a cluster, each executor JVM compiles the training code as it goes: give it "
            + "20 or more.")
    Double warmUp;

    @Option(names = "--repeat", defaultValue = "1", paramLabel = "N",
            description = "Measure every shape's modes N times, one after another, and report each mode's median, "
                    + "with its samples in bench.json (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Local directory for bench.json and bench.html.")
    Path output;

    @Option(names = "--accuracy-epochs", defaultValue = "0", paramLabel = "N",
            description = "Also compare statistical efficiency: prepare the configured dataset (input.path, e.g. "
                    + "--conf conf/datasets/synthetic-control.conf), train the configured model for N epochs in one "
                    + "plain process and with parameter averaging on each --workers count, and score each on the "
                    + "test split (default: ${DEFAULT-VALUE}, not measured).")
    int accuracyEpochs;

    @Option(names = "--accuracy-seeds", defaultValue = "1", paramLabel = "N",
            description = "With --accuracy-epochs: train every mode N times, with model seeds model.seed, "
                    + "model.seed + 1, ..., and report means, spreads and paired differences (default: ${DEFAULT-VALUE}).")
    int accuracySeeds;

    @Mixin
    ScalingOptions scaling;

    /** The scaling model's settings with --scale-to; checked before Spark starts. */
    private BenchScaling.Settings scalingSettings;

    @Option(names = "--skip-throughput", description = "Do not measure the throughput shapes (with --accuracy-epochs).")
    boolean skipThroughput;

    @Override
    void validate(JobConfig config) {
        for (List<Integer> values : List.of(units, steps, minibatch)) {
            for (int v : values) if (v < 1) throw new ConfigException("--units, --steps and --minibatch take positive integers");
        }
        workers = new ArrayList<>();
        for (String w : workersOption.split(",")) {
            if (w.isBlank()) continue;
            try {
                workers.add(Integer.parseInt(w.strip()));
            } catch (NumberFormatException e) {
                throw new ConfigException("--workers takes positive integers separated by commas, not '" + w.strip() + "'");
            }
        }
        for (int w : workers) if (w < 1) throw new ConfigException("--workers takes positive integers");
        if (warmUp != null && warmUp < 0) throw new ConfigException("--warm-up must be 0 or more");
        if (inputs < 1 || seconds <= 0 || rounds < 1) {
            throw new ConfigException("--inputs, --seconds and --rounds must be positive");
        }
        if (accuracyEpochs < 0) throw new ConfigException("--accuracy-epochs must be 0 or more");
        if (repeat < 1) throw new ConfigException("--repeat must be 1 or more");
        if (accuracySeeds < 1) throw new ConfigException("--accuracy-seeds must be 1 or more");
        if (accuracyEpochs > 0) requireInput(config);
        if (skipThroughput && accuracyEpochs == 0) {
            throw new ConfigException("--skip-throughput leaves nothing to measure without --accuracy-epochs");
        }
        if (scaling.requested()) validateScaling(config);
    }

    /** The model needs the workers' own times, measured by the pooled worker, on the worker counts it uses. */
    private void validateScaling(JobConfig config) {
        if (skipThroughput || workers.isEmpty()) {
            throw new ConfigException("--scale-to needs parameter averaging measured: give --workers, without "
                    + "--skip-throughput");
        }
        if (!config.training().reuseWorkerNetworks()) {
            throw new ConfigException("--scale-to needs the workers' own times, which only "
                    + "training.reuseWorkerNetworks = true measures (add --set training.reuseWorkerNetworks=true)");
        }
        scalingSettings = scaling.settings(List.of());
        for (int w : scalingSettings.fromWorkers()) {
            if (!workers.contains(w)) {
                throw new ConfigException("--from-workers " + w + " is not among --workers " + workers);
            }
        }
    }

    @Override
    int run(JavaSparkContext sc, JobConfig config) throws Exception {
        List<Shape> shapes = new ArrayList<>();
        for (int mb : minibatch) for (int s : steps) for (int u : units) shapes.add(new Shape(inputs, u, s, mb));
        Benchmark.Plan plan = new Benchmark.Plan(shapes, workers, seconds, warmUp == null ? seconds : warmUp, rounds,
                !skipProcess, repeat);
        Files.createDirectories(output);
        Path work = Files.createTempDirectory(output, ".minibatches");
        List<BenchResult.ShapeFigures> results = List.of();
        Map<String, Object> efficiency = null;
        try {
            if (!skipThroughput) results = Benchmark.run(sc, plan, config.training(), work);
            if (accuracyEpochs > 0) {
                efficiency = StatisticalEfficiency.run(sc, config, workers, accuracyEpochs, accuracySeeds,
                        work.resolve("accuracy"));
            }
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        BenchResult out = new BenchResult(Benchmark.machine(sc), config.training().averagingFrequency(),
                config.training().roundsPerJob(), skipThroughput ? null : repeat, results, efficiency);
        List<BenchScaling.ShapeScaling> scaled = List.of();
        if (scalingSettings != null) {
            ObjectNode tree = Json.mapper().valueToTree(out);
            scaled = BenchScaling.of(tree, scalingSettings);
            ScalingCommand.write(tree, scaled, output);
        } else {
            Files.write(output.resolve("bench.json"), Json.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(out));
            Files.writeString(output.resolve("bench.html"), BenchReport.html(out), StandardCharsets.UTF_8);
        }
        if (!results.isEmpty()) {
            System.out.print(Benchmark.table(results, workers));
            System.out.print(Benchmark.roundTable(results, workers));
        }
        if (!scaled.isEmpty()) System.out.print(BenchScaling.table(scaled));
        if (efficiency != null) System.out.print(StatisticalEfficiency.table(efficiency));
        System.out.println("written: " + output.resolve("bench.json") + ", " + output.resolve("bench.html"));
        return ExitCodes.OK;
    }
}
