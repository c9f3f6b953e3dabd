package io.sparklstm.tests;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparklstm.jobs.BuildInfo;
import io.sparklstm.jobs.cli.Main;
import io.sparklstm.model.Json;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code doctor} with a local Spark: the driver's ND4J, and each executor's, checked against it. */
class DoctorIT {

    @Test
    void doctorReportsTheCpuBackendOnTheDriverAndEveryExecutor() {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int code;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = Main.execute(new PrintWriter(err, true), Repo.args("doctor"));
        } finally {
            System.setOut(stdout);
        }
        String report = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, report + err);
        assertTrue(report.lines().anyMatch(l -> l.trim().startsWith("nd4j backend")
                && l.contains("CPU (nd4j-native)")), report);
        assertTrue(report.lines().anyMatch(l -> l.trim().startsWith("blas") && l.contains("OPENBLAS")), report);
        assertTrue(report.contains("executors (local[2]): 1 answered"), report);
        assertTrue(report.lines().anyMatch(l -> l.trim().startsWith("executor") && l.contains("OMP_NUM_THREADS")),
                report);
        assertTrue(report.lines().anyMatch(l -> l.trim().startsWith("driver ") && l.contains("CPU (nd4j-native)")
                && l.contains("OPENBLAS") && l.endsWith(" ok")), report);
        assertTrue(report.lines().anyMatch(l -> l.trim().startsWith("built for")
                && l.endsWith("Spark " + BuildInfo.sparkVersion() + ", Scala " + BuildInfo.scalaVersion())), report);
        assertTrue(report.contains("OK: the driver and every executor"), report);
    }

    @Test
    void doctorThroughTheLauncherChecksTheJobJarAndPrintsJson() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Repo.root().resolve("submit-scripts/spark-lstm").toString()));
        command.addAll(List.of(Repo.args("doctor", "--json")));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("SPARK_HOME");
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().put("SPARK_LSTM_DRIVER_MEMORY", "1g");
        Process p = pb.redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);

        JsonNode report = Json.mapper().readTree(output);
        assertTrue(report.get("ok").asBoolean(), output);
        assertTrue(report.at("/versions/job jar").asText().endsWith("spark-lstm.jar"), output);
        // The launcher runs the jar on the Spark line the build is for (4.x by default, 3.5 with -Pspark-3.5).
        assertEquals(BuildInfo.sparkVersion(), report.at("/versions/spark").asText(), output);
        assertEquals(BuildInfo.sparkVersion(), report.at("/builtFor/spark").asText(), output);
        assertEquals(BuildInfo.scalaVersion(), report.at("/builtFor/scala").asText(), output);
        assertEquals(BuildInfo.scalaVersion(), report.at("/executors/0/scalaVersion").asText(), output);
        assertEquals("CPU", report.at("/driver/backend").asText());
        assertEquals("nd4j-native", report.at("/driver/backendArtifact").asText());
        assertEquals("OPENBLAS", report.at("/driver/blasVendor").asText());
        assertEquals("1", report.at("/driver/ompNumThreads").asText());
        assertTrue(report.at("/driver/javacppMaxPhysicalBytes").asLong() > 0, output);
        assertTrue(report.at("/driver/devices/0/totalBytes").asLong() > 0, output);
        assertEquals("local[2]", report.get("master").asText());
        JsonNode executor = report.at("/executors/0");
        assertEquals("CPU", executor.get("backend").asText(), output);
        assertTrue(executor.get("pid").asLong() > 0 && !executor.get("host").asText().isEmpty(), output);
        assertEquals(0, report.get("problems").size(), output);
    }
}
