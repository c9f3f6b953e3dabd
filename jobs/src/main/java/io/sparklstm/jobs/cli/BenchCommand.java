package io.sparklstm.jobs.cli;

import io.sparklstm.jobs.bench.Benchmark;
import io.sparklstm.jobs.bench.BenchReport;
import io.sparklstm.jobs.bench.Shape;
import io.sparklstm.jobs.config.ConfigException;
import io.sparklstm.jobs.config.JobConfig;
import io.sparklstm.model.Json;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

    @Option(names = "--workers", split = ",", defaultValue = "1,2",
            description = "Parameter-averaging worker counts to measure; empty for none (default: ${DEFAULT-VALUE}).")
    List<Integer> workers;

    @Option(names = "--skip-process", description = "Do not measure one plain process.")
    boolean skipProcess;

    @Option(names = "--seconds", defaultValue = "4", description = "Seconds per process measurement (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--rounds", defaultValue = "3", description = "Averaging rounds per Spark measurement (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Local directory for bench.json and bench.html.")
    Path output;

    @Override
    void validate(JobConfig config) {
        for (List<Integer> values : List.of(units, steps, minibatch)) {
            for (int v : values) if (v < 1) throw new ConfigException("--units, --steps and --minibatch take positive integers");
        }
        for (int w : workers) if (w < 1) throw new ConfigException("--workers takes positive integers");
        if (inputs < 1 || seconds <= 0 || rounds < 1) {
            throw new ConfigException("--inputs, --seconds and --rounds must be positive");
        }
    }

    @Override
    int run(JavaSparkContext sc, JobConfig config) throws Exception {
        List<Shape> shapes = new ArrayList<>();
        for (int mb : minibatch) for (int s : steps) for (int u : units) shapes.add(new Shape(inputs, u, s, mb));
        Benchmark.Plan plan = new Benchmark.Plan(shapes, workers, seconds, rounds, !skipProcess);
        Files.createDirectories(output);
        Path work = Files.createTempDirectory(output, ".minibatches");
        List<Map<String, Object>> results;
        try {
            results = Benchmark.run(sc, plan, config.training(), work);
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("machine", Benchmark.machine(sc));
        out.put("averagingFrequency", config.training().averagingFrequency());
        out.put("results", results);
        Files.write(output.resolve("bench.json"), Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(out));
        Files.writeString(output.resolve("bench.html"), BenchReport.html(out), StandardCharsets.UTF_8);
        System.out.print(Benchmark.table(results, workers));
        System.out.println("written: " + output.resolve("bench.json") + ", " + output.resolve("bench.html"));
        return ExitCodes.OK;
    }
}
