package io.sparklstm.tests;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparklstm.jobs.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark and the table generator, run for real at a tiny size. */
class BenchAndGenerateIT {

    @Test
    void benchMeasuresEveryModeAndWritesJsonAndAChart(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("bench");
        assertEquals(0, Main.execute(Repo.args("bench", "--units", "8,16", "--steps", "10", "--minibatch", "8",
                "--seconds", "0.3", "--warm-up", "0.5", "--rounds", "1", "--workers", "1,2", "--repeat", "3",
                // the pooled worker measures its own times: the round table's worker columns
                "--set", "training.averagingFrequency=2", "--set", "training.reuseWorkerNetworks=true",
                "--output", out.toString())));
        JsonNode bench = Repo.json(out.resolve("bench.json"));
        assertEquals(2, bench.get("results").size());
        for (JsonNode r : bench.get("results")) {
            assertTrue(r.get("gemmGflops").asDouble() > 0, r.toString());
            assertTrue(r.at("/process/examplesPerSecond").asDouble() > 0, r.toString());
            assertTrue(r.at("/process/ofRoofline").asDouble() > 0, r.toString());
            // both LSTM kernels are measured; "process" is the one model.kernel = auto picks (fused)
            double dl4j = r.at("/kernels/dl4j/examplesPerSecond").asDouble();
            double fused = r.at("/kernels/fused/examplesPerSecond").asDouble();
            assertTrue(dl4j > 0 && fused > 0, r.toString());
            assertEquals("fused", r.at("/process/kernel").asText(), r.toString());
            assertEquals(fused, r.at("/process/examplesPerSecond").asDouble(), 1e-9 * fused, r.toString());
            for (String workers : List.of("1", "2")) {
                double rate = r.at("/spark/" + workers + "/examplesPerSecond").asDouble();
                assertTrue(rate > 0, r.toString());
                assertTrue(r.at("/spark/" + workers + "/vsProcess").isNumber(), r.toString());
                // a round: workers x averagingFrequency (2) minibatches of 8, at the measured rate
                double roundMs = r.at("/spark/" + workers + "/roundMs").asDouble();
                assertEquals(1000 * Integer.parseInt(workers) * 2 * 8 / rate, roundMs, 0.01 * roundMs, r.toString());
                assertTrue(r.at("/spark/" + workers + "/overheadMs").isNumber(), r.toString());
                // where the measured rounds' time went: the slowest worker's fit is part of the round, and
                // workers reuse the networks their executor built in the warm-up
                JsonNode rounds = r.at("/spark/" + workers + "/rounds");
                assertTrue(rounds.get("rounds").asInt() >= 3, r.toString());
                assertEquals(2, rounds.get("minibatchesPerWorker").asDouble(), r.toString());
                double fit = rounds.get("workerFitMs").asDouble();
                assertTrue(fit > 0 && fit <= rounds.get("roundMs").asDouble(), r.toString());
                assertTrue(rounds.get("broadcastMs").asDouble() > 0, r.toString());
                assertTrue(rounds.get("schedulingMs").isNumber() && rounds.get("applyMs").isNumber(), r.toString());
                double share = rounds.get("overheadFraction").asDouble();
                assertTrue(share >= 0 && share < 1, r.toString());
                assertTrue(rounds.get("networksBuilt").asLong()
                        < rounds.get("rounds").asLong() * Integer.parseInt(workers), r.toString());
            }
            // the ceiling for two workers: two plain fits side by side, against which Spark's two workers compare
            double ceiling = r.at("/ceiling/2/examplesPerSecond").asDouble();
            assertTrue(ceiling > 0, r.toString());
            assertEquals(r.at("/spark/2/examplesPerSecond").asDouble() / ceiling,
                    r.at("/spark/2/vsCeiling").asDouble(), 0.01, r.toString());
            assertTrue(r.at("/ceiling/1").isMissingNode() && r.at("/spark/1/vsCeiling").isMissingNode(), r.toString());
            // Spark's floor: a round of the same size with nothing read or fitted, and what it leaves of the
            // ceiling to rounds of 2 x 8 examples per worker fitted at the ceiling's rate
            double empty = r.at("/spark/2/emptyRoundMs").asDouble();
            assertTrue(empty > 0 && r.at("/spark/1/emptyRoundMs").asDouble() > 0, r.toString());
            double fitAtCeiling = 1000.0 * 2 * 2 * 8 / ceiling;
            assertEquals(fitAtCeiling / (fitAtCeiling + empty), r.at("/spark/2/attainableVsCeiling").asDouble(),
                    0.01, r.toString());
            assertTrue(r.at("/spark/1/attainableVsCeiling").isMissingNode(), r.toString());
            // --repeat 3: every mode measured three times, its figure the median of the three
            assertEquals(3, r.get("repeats").asInt(), r.toString());
            for (String mode : List.of("/kernels/dl4j", "/kernels/fused", "/ceiling/2", "/spark/1", "/spark/2")) {
                JsonNode samples = r.at(mode + "/examplesPerSecondSamples");
                assertEquals(3, samples.size(), mode + " in " + r);
                double[] sorted = java.util.stream.StreamSupport.stream(samples.spliterator(), false)
                        .mapToDouble(JsonNode::asDouble).sorted().toArray();
                assertTrue(sorted[0] > 0, mode + " in " + r);
                assertEquals(sorted[1], r.at(mode + "/examplesPerSecond").asDouble(), 1e-3 * sorted[1], mode + " in " + r);
            }
            assertEquals(3, r.get("gemmGflopsSamples").size(), r.toString());
        }
        assertEquals(3, bench.get("repeats").asInt());
        assertEquals(1, bench.get("roundsPerJob").asInt(), "the mode the scaling model takes its costs from");
        // training FLOPs: 3 passes x 2 x (inputs + units) x 4 units x steps
        assertEquals(3 * 2.0 * (8 + 16) * 64 * 10, bench.at("/results/1/trainingFlopsPerExample").asDouble(), 1e-6);
        String html = Files.readString(out.resolve("bench.html"));
        assertTrue(html.contains("GEMM roofline") && html.contains("new Chart("), "a chart drawn by Chart.js");
        try (Stream<Path> left = Files.list(out)) {
            assertEquals(List.of("bench.html", "bench.json"), left.map(p -> p.getFileName().toString()).sorted().toList(),
                    "the benchmark's minibatch files are removed");
        }
    }

    @Test
    void benchComparesAccuracyAfterEqualEpochsOfOneProcessAndParameterAveraging(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("bench");
        assertEquals(0, Main.execute(Repo.args("bench", "--skip-throughput", "--accuracy-epochs", "2",
                "--accuracy-seeds", "2", "--workers", "1,2", "--conf", Repo.conf("datasets/synthetic-control.conf").toString(),
                "--set", "input.path=" + Repo.data("synthetic_control/synthetic_control.data"),
                "--set", "model.layers=[16]", "--output", out.toString())));
        JsonNode e = Repo.json(out.resolve("bench.json")).get("statisticalEfficiency");
        assertEquals(2, e.get("epochs").asInt());
        assertEquals(2, e.get("seeds").asInt());
        assertEquals("accuracy", e.get("metric").asText());
        double process = e.at("/process/accuracy").asDouble();
        assertTrue(process > 0 && process <= 1, e.toString());
        JsonNode processRuns = e.at("/process/accuracyRuns");
        assertEquals(2, processRuns.size(), e.toString());
        assertEquals((processRuns.get(0).asDouble() + processRuns.get(1).asDouble()) / 2, process, 1e-9);
        assertEquals(Math.abs(processRuns.get(0).asDouble() - processRuns.get(1).asDouble()) / Math.sqrt(2),
                e.at("/process/accuracyStd").asDouble(), 1e-9);
        for (String workers : List.of("1", "2")) {
            JsonNode s = e.at("/spark/" + workers);
            assertEquals(2, s.get("accuracyRuns").size(), s.toString());
            // the mean of the paired differences is the difference of the means
            assertEquals(s.get("accuracy").asDouble() - process, s.get("accuracyVsProcess").asDouble(), 1e-9);
            assertTrue(s.get("accuracyVsProcessStdErr").asDouble() >= 0, s.toString());
            assertTrue(s.get("seconds").asDouble() > 0 && s.get("speedVsProcess").asDouble() > 0, s.toString());
        }
        // two epochs of a small LSTM are far from converged, but far above the 1/6 of guessing in one process
        assertTrue(process > 0.3, e.toString());
        assertTrue(Files.readString(out.resolve("bench.html")).contains("statisticalEfficiency"));
    }

    @Test
    void generateWritesACompleteTableThatPrepareReads(@TempDir Path dir) throws IOException {
        Path table = dir.resolve("table");
        assertEquals(0, Main.execute(Repo.args("generate", "--rows", "20000", "--columns", "3", "--files", "4",
                "--output", table.toString())));
        List<Path> files;
        try (Stream<Path> s = Files.list(table)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList();
        }
        assertEquals(4, files.size());
        long rows = 0;
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            assertEquals("date,x0,x1,x2", lines.get(0));
            rows += lines.size() - 1;
        }
        assertEquals(20000, rows);
        try (Stream<Path> s = Files.list(dir)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().contains("generating")), "no staging left");
        }
        // an existing table is not replaced without --overwrite
        assertEquals(2, Main.execute(Repo.args("generate", "--rows", "10", "--output", table.toString())));

        Path prepared = dir.resolve("prepared");
        assertEquals(0, Main.execute(Repo.args("prepare", "--set", "input.path=" + table,
                "--set", "timeseries.windowSteps=96", "--set", "timeseries.horizonSteps=1",
                "--set", "timeseries.strideSteps=24",
                "--output", prepared.toString())));
        JsonNode manifest = Repo.json(prepared.resolve("manifest.json"));
        long windows = 0;
        for (String split : List.of("train", "validation", "test")) {
            windows += manifest.at("/splits/" + split + "/examples").asLong();
        }
        // one series of 20,000 hourly rows, windows of 97 rows every 24, none crossing the two split boundaries
        assertTrue(windows > (20000 - 3 * 97) / 24 && windows <= (20000 - 97) / 24 + 1, "windows: " + windows);
    }
}
