package io.sparklstm.tests;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparklstm.jobs.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A table in the layout of many public forecasting benchmarks (the daily exchange rates, say): no header, no
 * timestamp column, one row per step in file order. Made here from the shipped ETTh1 table by stripping its
 * header and date column; prepared, trained and scored through configuration alone.
 */
class RowOrderTableIT {

    @TempDir
    static Path dir;

    private static Path bareTable(int rows) throws IOException {
        List<String> lines = Files.readAllLines(Repo.data("etth1/ETTh1.csv"), StandardCharsets.UTF_8);
        List<String> bare = new ArrayList<>();
        for (String line : lines.subList(1, rows + 1)) bare.add(line.substring(line.indexOf(',') + 1));
        Path file = Files.createDirectories(dir.resolve("in")).resolve("rates.txt");
        Files.write(file, bare, StandardCharsets.UTF_8);
        return file;
    }

    private static String[] pipeline(Path input, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("--conf", Repo.conf("datasets/etth1.conf").toString(),
                "--set", "input.path=" + input, "--set", "input.header=false",
                "--set", "timeseries.timestampColumn=",
                "--set", "split.trainEnd=", "--set", "split.validationEnd=", "--set", "split.testEnd=",
                "--set", "split.fractions=[0.7,0.1,0.2]",
                "--set", "timeseries.windowSteps=24", "--set", "timeseries.horizonSteps=4",
                "--set", "timeseries.strideSteps=4", "--set", "timeseries.targetColumns=[\"_c6\"]",
                "--set", "model.layers=[8]", "--set", "training.epochs=1", "--output", out.toString()));
        args.addAll(List.of(extra));
        return Repo.args("pipeline", args.toArray(String[]::new));
    }

    @Test
    void aHeaderlessTableWithoutTimestampsIsPreparedTrainedAndScoredInRowOrder() throws IOException {
        Path table = bareTable(1000);
        Path out = dir.resolve("run");
        assertEquals(0, Main.execute(pipeline(table, out)));

        JsonNode manifest = Repo.json(out.resolve("data/manifest.json"));
        assertEquals("none", manifest.get("settings").get("timeseries").get("frequency").asText());
        assertEquals(List.of("_c0", "_c1", "_c2", "_c3", "_c4", "_c5", "_c6"),
                Json.strings(manifest.get("featureNames")));
        assertEquals(1000, manifest.get("counts").get("rowsRead").asInt());
        assertTrue(manifest.get("splits").get("train").get("firstTime").asText().endsWith("rates.txt:1"),
                manifest.get("splits").get("train").toString());
        // 700 training rows in windows of 28 rows, every 4th row: (700 - 28) / 4 + 1
        assertEquals(169, manifest.get("splits").get("train").get("examples").asInt());

        Path scored = dir.resolve("scored");
        assertEquals(0, Main.execute(Repo.args("predict", "--model", out.resolve("run").toString(),
                "--input", table.toString(), "--output", scored.toString(), "--last-only", "--format", "csv")));
        List<String> rows = new ArrayList<>();
        try (Stream<Path> parts = Files.list(scored.resolve("predictions.csv"))) {
            for (Path p : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
                rows.addAll(Files.readAllLines(p, StandardCharsets.UTF_8));
            }
        }
        assertEquals("timestamp,step,_c6", rows.get(0));
        rows.removeIf(r -> r.startsWith("timestamp,"));
        assertEquals(4, rows.size(), rows.toString());
        assertTrue(rows.get(0).startsWith("rates.txt:1000,1,"), rows.get(0));
    }

    @Test
    void splitDatesAreRefusedForATableWithoutTimestamps() throws IOException {
        Path table = bareTable(200);
        assertEquals(2, Main.execute(pipeline(table, dir.resolve("dated"), "--set",
                "split.trainEnd=2016-07-05 00:00:00", "--set", "split.validationEnd=2016-07-06 00:00:00")));
    }

    /** JSON helpers for manifests. */
    private static final class Json {
        static List<String> strings(JsonNode array) {
            List<String> out = new ArrayList<>();
            array.forEach(n -> out.add(n.asText()));
            return out;
        }
    }
}
