package io.sparklstm.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparklstm.model.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code scaling} over a bench.json, and the scaling options' checks; no Spark. */
class ScalingCommandTest {

    private static final String BENCH = """
            {"machine": {"cpus": 2}, "averagingFrequency": 5, "repeats": 1, "results": [{"inputs": 8, "units": 64,
              "steps": 50, "minibatch": 32, "gemmGflops": 7.8,
              "spark": {"1": {"examplesPerSecond": 900, "roundMs": 177.8, "rounds": {"rounds": 6, "roundMs": 178,
                      "broadcastMs": 4, "schedulingMs": 40, "workerInitMs": 0.5, "workerFitMs": 110,
                      "workerOtherMs": 9.5, "applyMs": 1, "overheadMs": 68, "overheadFraction": 0.38}}}}]}
            """;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.execute(new PrintWriter(err, true), args);
    }

    @Test
    void scalingAddsItsPredictionsToTheBenchFiguresAndWritesBothFiles(@TempDir Path dir) throws Exception {
        Path bench = dir.resolve("bench.json");
        Files.writeString(bench, BENCH);
        Path out = dir.resolve("scaled");
        assertEquals(0, run("scaling", "--bench", bench.toString(), "--output", out.toString(), "--scale-to", "2,16",
                "--bandwidth", "1Gb/s", "--latency", "50us"), err.toString());
        JsonNode written = Json.mapper().readTree(out.resolve("bench.json").toFile());
        assertEquals(7.8, written.at("/results/0/gemmGflops").asDouble(), "the measured figures are kept");
        JsonNode s = written.at("/scaling/0");
        assertEquals(1e9, s.at("/network/bitsPerSecond").asDouble());
        assertEquals(0.05, s.at("/network/latencyMs").asDouble(), 1e-12);
        assertEquals(3, s.get("rounds").size());
        assertEquals(16, s.at("/rounds/2/workers").asInt());
        assertEquals(900, s.at("/rounds/0/measuredExamplesPerSecond").asDouble());
        // one LSTM layer of 64 units on 8 inputs and a dense layer of 6 outputs, Adam's two moments: 3 x 4 bytes each
        long params = 4L * 64 * (8 + 64) + 4 * 64 + (64 * 6 + 6);
        long bytes = s.at("/costs/transferBytes").asLong();
        assertTrue(bytes >= 12 * params && bytes < 12 * params + 12 * 3 * 64, bytes + " against " + 12 * params);
        assertTrue(Files.readString(out.resolve("bench.html")).contains("Scaling model"));
        assertFalse(Files.exists(out.resolve(".bench.json.tmp")));

        // again, into the bench's own directory: the file gains "scaling" and keeps its figures
        assertEquals(0, run("scaling", "--bench", bench.toString(), "--output", dir.toString()), err.toString());
        JsonNode again = Json.mapper().readTree(bench.toFile());
        assertEquals(7, again.at("/scaling/0/rounds").size(), "1 and the default 2..64");
        assertEquals(900, again.at("/results/0/spark/1/examplesPerSecond").asDouble());
    }

    @Test
    void aBadNetworkOrWorkerCountExitsWithTwoNamingTheOption(@TempDir Path dir) throws Exception {
        Path bench = dir.resolve("bench.json");
        Files.writeString(bench, BENCH);
        String out = dir.resolve("o").toString();
        assertEquals(2, run("scaling", "--bench", bench.toString(), "--output", out, "--bandwidth", "fast"));
        assertTrue(err.toString().contains("--bandwidth"), err.toString());
        assertEquals(2, run("scaling", "--bench", bench.toString(), "--output", out, "--latency", "3 parsecs"));
        assertTrue(err.toString().contains("--latency"), err.toString());
        assertEquals(2, run("scaling", "--bench", bench.toString(), "--output", out, "--scale-to", "4,0"));
        assertTrue(err.toString().contains("--scale-to takes worker counts of 1 or more: 0"), err.toString());
        assertEquals(2, run("scaling", "--bench", bench.toString(), "--output", out, "--task-ms", "-1"));
        assertTrue(err.toString().contains("--task-ms"), err.toString());
        assertFalse(Files.exists(dir.resolve("o")));
    }

    @Test
    void aMissingOrUnusableBenchFileExitsWithThreeNamingIt(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("none.json");
        assertEquals(3, run("scaling", "--bench", missing.toString(), "--output", dir.resolve("o").toString()));
        assertTrue(err.toString().contains(missing + ": no such file"), err.toString());
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"results\": [");
        assertEquals(3, run("scaling", "--bench", broken.toString(), "--output", dir.resolve("o").toString()));
        assertTrue(err.toString().contains(broken + ": not JSON"), err.toString());
        Path old = dir.resolve("old.json");
        Files.writeString(old, BENCH.replace("\"workerFitMs\": 110,", ""));
        assertEquals(3, run("scaling", "--bench", old.toString(), "--output", dir.resolve("o").toString()));
        assertTrue(err.toString().contains(old + ": results[0] (units 64, steps 50, minibatch 32): spark.1.rounds has "
                + "no workers' times"), err.toString());
    }

    @Test
    void benchRefusesScalingWithoutParameterAveragingBeforeSparkStarts(@TempDir Path dir) {
        String out = dir.resolve("o").toString();
        assertEquals(2, run("bench", "--workers", "", "--scale-to", "4", "--output", out));
        assertTrue(err.toString().contains("--scale-to needs parameter averaging measured"), err.toString());
        assertEquals(2, run("bench", "--workers", "1", "--scale-to", "4", "--from-workers", "2",
                "--set", "training.reuseWorkerNetworks=true", "--output", out));
        assertTrue(err.toString().contains("--from-workers 2 is not among --workers [1]"), err.toString());
        assertEquals(2, run("bench", "--workers", "1", "--scale-to", "4", "--set", "training.reuseWorkerNetworks=false",
                "--output", out));
        assertTrue(err.toString().contains("training.reuseWorkerNetworks = true"), err.toString());
    }

    @Test
    void bandwidthsAndLatenciesReadTheirUnits() {
        assertEquals(1e10, ScalingOptions.bitsPerSecond("10Gb/s"));
        assertEquals(1e10, ScalingOptions.bitsPerSecond("10 Gbit/s"));
        assertEquals(1e10, ScalingOptions.bitsPerSecond("1.25GB/s"));
        assertEquals(1e8, ScalingOptions.bitsPerSecond("100Mbps"));
        assertEquals(0.1, ScalingOptions.milliseconds("0.1ms"));
        assertEquals(0.1, ScalingOptions.milliseconds("100us"), 1e-15);
        assertEquals(1000, ScalingOptions.milliseconds("1 s"));
        assertThrows(IllegalArgumentException.class, () -> ScalingOptions.bitsPerSecond("10"));
        assertThrows(IllegalArgumentException.class, () -> ScalingOptions.bitsPerSecond("0Gb/s"));
        assertThrows(IllegalArgumentException.class, () -> ScalingOptions.milliseconds("-1ms"));
    }
}
