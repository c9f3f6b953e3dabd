package io.sparklstm.tests;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparklstm.model.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The repository the tests run in: its configs, its shipped data, and command lines for tests. */
final class Repo {

    private Repo() {
    }

    static Path root() {
        String root = System.getProperty("sparklstm.repo.root");
        return root == null ? Paths.get("..").toAbsolutePath().normalize() : Paths.get(root);
    }

    static Path conf(String name) {
        return root().resolve("conf").resolve(name);
    }

    static Path data(String relative) {
        return root().resolve("tests/data").resolve(relative);
    }

    /** A command line with a small, quiet local Spark: two worker threads, no UI, loopback only. */
    static String[] args(String command, String... rest) {
        List<String> args = new ArrayList<>();
        args.add(command);
        args.addAll(Arrays.asList("--master", "local[2]",
                "--set", "spark.conf.\"spark.ui.enabled\"=false",
                "--set", "spark.conf.\"spark.driver.host\"=127.0.0.1",
                "--set", "spark.conf.\"spark.driver.bindAddress\"=127.0.0.1"));
        args.addAll(Arrays.asList(rest));
        return args.toArray(String[]::new);
    }

    /** The header and the first {@code rows} rows of the shipped ETTh1 table, written into {@code dir}. */
    static Path etth1Head(Path dir, int rows) throws IOException {
        List<String> lines = java.nio.file.Files.readAllLines(data("etth1/ETTh1.csv"),
                java.nio.charset.StandardCharsets.UTF_8);
        Path slice = dir.resolve("etth1-head.csv");
        java.nio.file.Files.write(slice, lines.subList(0, rows + 1), java.nio.charset.StandardCharsets.UTF_8);
        return slice;
    }

    static JsonNode json(Path file) throws IOException {
        return Json.mapper().readTree(file.toFile());
    }

    /** A run's metrics.jsonl, one JSON object per epoch, in order. */
    static List<JsonNode> epochs(Path run) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"), StandardCharsets.UTF_8)) {
            out.add(Json.mapper().readTree(line));
        }
        return out;
    }
}
