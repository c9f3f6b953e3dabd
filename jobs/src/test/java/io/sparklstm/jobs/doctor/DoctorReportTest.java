package io.sparklstm.jobs.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparklstm.model.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checks of {@code doctor} on probes as executors would return them; no Spark. */
class DoctorReportTest {

    private static final String CPU = "org.nd4j.linalg.cpu.nativecpu.CpuBackend";
    private static final String CUDA = "org.nd4j.linalg.jcublas.JCublasBackend";
    private static final Map<String, String> VERSIONS = Map.of("spark", "4.1.3");
    private static final SparkLine SPARK_4 = new SparkLine("4.1.3", "2.13.17");
    private static final SparkLine SPARK_35 = new SparkLine("3.5.9", "2.12.18");

    private static Nd4jProbe probe(String executorId, String backend, String backendClass, String omp) {
        return probe(executorId, backend, backendClass, omp, SPARK_4);
    }

    private static Nd4jProbe probe(String executorId, String backend, String backendClass, String omp,
                                   SparkLine spark) {
        return new Nd4jProbe(executorId, "worker-" + executorId, 4200, "17.0.9",
                spark.spark(), spark.scala(), 2, backend, Nd4jProbe.artifactOf(backendClass), backendClass,
                List.of(new Device("host, 2 cores", 8L << 30, 4L << 30)), "OPENBLAS", 1, 1, 1, omp, 3L << 30, 8L << 30,
                1L << 30, "");
    }

    private static Nd4jProbe onSpark(String executorId, SparkLine spark) {
        return probe(executorId, "CPU", CPU, "1", spark);
    }

    private static Nd4jProbe failed(String executorId, String error) {
        return new Nd4jProbe(executorId, "worker-" + executorId, 4300, "17.0.9", SPARK_4.spark(), SPARK_4.scala(), 2,
                "", "", "", List.of(), "", 0, 0, 0, "1", -1, -1, -1, error);
    }

    private static DoctorReport report(Nd4jProbe driver, String master, int registered, List<Nd4jProbe> executors) {
        return DoctorReport.of(VERSIONS, SPARK_4, driver, master, registered, executors);
    }

    @Test
    void executorsOnTheDriversBackendPassAndAreListed() {
        DoctorReport report = report(probe("driver", "CPU", CPU, "1"), "spark://m:7077", 2,
                List.of(probe("0", "CPU", CPU, "1"), probe("1", "CPU", CPU, "1")));
        assertTrue(report.ok(), report.problems().toString());
        assertEquals(List.of(), report.warnings());
        String text = report.text();
        assertTrue(text.contains("CPU (nd4j-native)"), text);
        assertTrue(text.contains("executors (spark://m:7077): 2 answered, 2 registered"), text);
        assertTrue(text.lines().anyMatch(l -> l.trim().startsWith("1 ") && l.contains("worker-1")
                && l.contains("OPENBLAS") && l.endsWith("ok")), text);
        assertTrue(text.contains("maxbytes 3.0 GiB, maxphysicalbytes 8.0 GiB"), text);
    }

    @Test
    void anExecutorOnAnotherBackendFailsTheCheckAndIsNamed() {
        DoctorReport report = report(probe("driver", "CPU", CPU, "1"), "spark://m:7077", 2,
                List.of(probe("0", "CPU", CPU, "1"), probe("1", "CUDA", CUDA, "1")));
        assertFalse(report.ok());
        assertEquals(1, report.problems().size());
        String problem = report.problems().get(0);
        assertTrue(problem.contains("executor 1 on worker-1") && problem.contains("CUDA (nd4j-cuda)")
                && problem.contains("CPU (nd4j-native)"), problem);
        assertTrue(report.text().contains("FAILED: 1 problem(s)"), report.text());
    }

    @Test
    void anExecutorWhereNd4jDidNotLoadFailsTheCheckWithItsError() {
        DoctorReport report = report(probe("driver", "CPU", CPU, "1"), "spark://m:7077", 1,
                List.of(failed("0", "UnsatisfiedLinkError: no jnind4jcpu in java.library.path")));
        assertFalse(report.ok());
        assertTrue(report.problems().get(0).contains("ND4J did not load on executor 0 on worker-0")
                && report.problems().get(0).contains("no jnind4jcpu"), report.problems().toString());
        assertTrue(report.text().contains("ND4J failed: UnsatisfiedLinkError"), report.text());
    }

    @Test
    void unsetOmpNumThreadsAndSilentExecutorsAreWarningsNotFailures() {
        DoctorReport report = report(probe("driver", "CPU", CPU, "1"), "spark://m:7077", 3,
                List.of(probe("0", "CPU", CPU, "")));
        assertTrue(report.ok());
        assertEquals(2, report.warnings().size(), report.warnings().toString());
        assertTrue(report.warnings().get(0).startsWith("1 of 3 registered executors"), report.warnings().toString());
        assertTrue(report.warnings().get(1).contains("OMP_NUM_THREADS is not set"), report.warnings().toString());
    }

    @Test
    void theJsonFormCarriesTheVerdictAndEveryProbe() throws Exception {
        DoctorReport report = report(probe("driver", "CPU", CPU, "1"), "local[2]", 1,
                List.of(probe("driver", "CPU", CPU, "1")));
        JsonNode json = Json.mapper().readTree(Json.mapper().writeValueAsString(report));
        assertTrue(json.get("ok").asBoolean());
        assertEquals("nd4j-native", json.at("/driver/backendArtifact").asText());
        assertEquals(8L << 30, json.at("/driver/devices/0/totalBytes").asLong());
        assertEquals("worker-driver", json.at("/executors/0/host").asText());
        assertEquals("4.1.3", json.at("/versions/spark").asText());
        assertEquals("2.13.17", json.at("/builtFor/scala").asText());
        assertEquals("2.13.17", json.at("/executors/0/scalaVersion").asText());
    }

    @Test
    void anExecutorOnAnotherSparkLineThanTheJarWasBuiltForFailsTheCheckAndIsNamed() {
        DoctorReport report = report(onSpark("driver", SPARK_4), "spark://m:7077", 2,
                List.of(onSpark("0", SPARK_4), onSpark("1", SPARK_35)));
        assertFalse(report.ok());
        assertEquals(1, report.problems().size(), report.problems().toString());
        String problem = report.problems().get(0);
        assertTrue(problem.startsWith("executor 1 on worker-1") && problem.contains("runs Spark 3.5.9, Scala 2.12.18")
                && problem.contains("built for Spark 4.1.3, Scala 2.13.17") && problem.contains("-Pspark-3.5"), problem);
        String text = report.text();
        assertTrue(text.lines().anyMatch(l -> l.trim().startsWith("built for")
                && l.endsWith(" Spark 4.1.3, Scala 2.13.17")), text);
        assertTrue(text.lines().anyMatch(l -> l.trim().startsWith("1 ") && l.contains("3.5.9")
                && l.contains("2.12.18")), text);
        assertTrue(text.contains("FAILED: 1 problem(s)"), text);
    }

    @Test
    void aDriverOnAnotherSparkLineFailsTheCheckEvenWithoutExecutors() {
        DoctorReport report = DoctorReport.driverOnly(VERSIONS, SPARK_35, onSpark("driver", SPARK_4));
        assertFalse(report.ok());
        assertTrue(report.problems().get(0).startsWith("the driver JVM on worker-driver")
                && report.problems().get(0).contains("built for Spark 3.5.9, Scala 2.12.18"), report.problems().toString());
    }

    @Test
    void theSameSparkLineWithAnotherScalaBinaryVersionFails() {
        DoctorReport report = report(onSpark("driver", SPARK_4), "spark://m:7077", 1,
                List.of(onSpark("0", new SparkLine("4.1.3", "2.12.18"))));
        assertFalse(report.ok());
        assertTrue(report.problems().get(0).contains("Scala 2.12.18"), report.problems().toString());
    }

    @Test
    void anotherPatchReleaseOfTheSameLineIsAWarningNotAFailure() {
        DoctorReport report = report(onSpark("driver", SPARK_4), "spark://m:7077", 1,
                List.of(onSpark("0", new SparkLine("4.1.2", "2.13.16"))));
        assertTrue(report.ok(), report.problems().toString());
        assertEquals(1, report.warnings().size(), report.warnings().toString());
        assertTrue(report.warnings().get(0).contains("runs Spark 4.1.2, Scala 2.13.16")
                && report.warnings().get(0).contains("compatible"), report.warnings().toString());
    }

    @Test
    void sparkLinesCompareMajorMinorOfSparkAndScala() {
        assertEquals("4.1", SparkLine.majorMinor("4.1.3"));
        assertEquals("2.13", SparkLine.majorMinor("2.13.17"));
        assertEquals("unknown", SparkLine.majorMinor("unknown"));
        assertTrue(SPARK_4.compatibleWith(new SparkLine("4.1.0", "2.13.16")));
        assertFalse(SPARK_4.compatibleWith(new SparkLine("4.0.1", "2.13.16")));
        assertFalse(SPARK_4.compatibleWith(SPARK_35));
    }

    @Test
    void thisJvmRunsTheSparkLineTheBuildIsFor() {
        Nd4jProbe here = Nd4jProbe.here();
        assertEquals(SparkLine.builtFor(), here.sparkLine());
        assertTrue(SparkLine.builtFor().spark().matches("\\d+\\.\\d+\\.\\d+"), SparkLine.builtFor().toString());
    }

    @Test
    void thisJvmLoadsTheCpuBackend() {
        Nd4jProbe here = Nd4jProbe.here();
        assertTrue(here.loaded(), here.error());
        assertEquals("CPU", here.backend());
        assertEquals("nd4j-native", here.backendArtifact());
        assertEquals("driver", here.executorId());
        assertTrue(here.pid() > 0);
        assertFalse(here.devices().isEmpty());
        assertTrue(here.devices().get(0).totalBytes() > 0, here.devices().toString());
        assertTrue(here.javacppMaxBytes() > 0);
    }
}
