package io.sparklstm.jobs.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparklstm.jobs.bench.BenchReport;
import io.sparklstm.jobs.bench.BenchScaling;
import io.sparklstm.model.Json;
import io.sparklstm.prep.io.InputDataException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code scaling}: the scaling model over a {@code bench.json} already measured; no Spark. */
@Command(name = "scaling", mixinStandardHelpOptions = true,
        description = "Predict parameter averaging's examples/s, speed-up and efficiency on N executors over a "
                + "network of given bandwidth and latency, from the per-round costs in a bench.json (bench's "
                + "\"rounds\"). Writes bench.json (the measured figures and \"scaling\") and bench.html to --output, "
                + "and prints a table per shape.")
final class ScalingCommand implements Callable<Integer> {

    /** Worker counts predicted without --scale-to. */
    static final List<Integer> DEFAULT_WORKERS = List.of(2, 4, 8, 16, 32, 64);

    @Option(names = "--bench", required = true, paramLabel = "FILE", description = "A bench.json written by bench.")
    Path bench;

    @Option(names = "--output", required = true, paramLabel = "DIR",
            description = "Local directory for bench.json and bench.html (may be the --bench file's own).")
    Path output;

    @Mixin
    ScalingOptions scaling;

    @Override
    public Integer call() throws IOException {
        BenchScaling.Settings settings = scaling.settings(DEFAULT_WORKERS);
        ObjectNode tree = read(bench);
        List<BenchScaling.ShapeScaling> shapes;
        try {
            shapes = BenchScaling.of(tree, settings);
        } catch (InputDataException e) {
            throw new InputDataException(bench + ": " + e.getMessage(), e);
        }
        write(tree, shapes, output);
        System.out.print(BenchScaling.table(shapes));
        System.out.println("written: " + output.resolve("bench.json") + ", " + output.resolve("bench.html"));
        return ExitCodes.OK;
    }

    private static ObjectNode read(Path file) throws IOException {
        JsonNode tree;
        try {
            tree = Json.mapper().readTree(file.toFile());
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new InputDataException(file + ": no such file");
        } catch (JsonProcessingException e) {
            throw new InputDataException(file + ": not JSON: " + e.getOriginalMessage(), e);
        }
        if (!(tree instanceof ObjectNode object)) throw new InputDataException(file + ": not a bench.json object");
        return object;
    }

    /**
     * {@code bench} with the predictions as {@code "scaling"} into {@code dir}'s bench.json and bench.html, each
     * written under a temporary name and renamed, so a reader never sees half a file.
     */
    static void write(ObjectNode bench, List<BenchScaling.ShapeScaling> shapes, Path dir) throws IOException {
        bench.set("scaling", Json.mapper().valueToTree(shapes));
        Files.createDirectories(dir);
        replace(dir.resolve("bench.json"), Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(bench));
        replace(dir.resolve("bench.html"), BenchReport.html(bench).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void replace(Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.write(tmp, content);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
