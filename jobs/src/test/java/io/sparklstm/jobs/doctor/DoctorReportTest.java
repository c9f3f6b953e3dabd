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
    private static final Map<String, String> VERSIONS = Map.of("spark", "3.5.7");

    private static Nd4jProbe probe(String executorId, String backend, String backendClass, String omp) {
        return new Nd4jProbe(executorId, "worker-" + executorId, 4200, "17.0.9", 2, backend,
                Nd4jProbe.artifactOf(backendClass), backendClass, List.of(new Device("host, 2 cores", 8L << 30, 4L << 30)),
                "OPENBLAS", 1, 1, 1, omp, 3L << 30, 8L << 30, 1L << 30, "");
    }

    private static Nd4jProbe failed(String executorId, String error) {
        return new Nd4jProbe(executorId, "worker-" + executorId, 4300, "17.0.9", 2, "", "", "", List.of(), "", 0, 0, 0,
                "1", -1, -1, -1, error);
    }

    @Test
    void executorsOnTheDriversBackendPassAndAreListed() {
        DoctorReport report = DoctorReport.of(VERSIONS, probe("driver", "CPU", CPU, "1"), "spark://m:7077", 2,
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
        DoctorReport report = DoctorReport.of(VERSIONS, probe("driver", "CPU", CPU, "1"), "spark://m:7077", 2,
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
        DoctorReport report = DoctorReport.of(VERSIONS, probe("driver", "CPU", CPU, "1"), "spark://m:7077", 1,
                List.of(failed("0", "UnsatisfiedLinkError: no jnind4jcpu in java.library.path")));
        assertFalse(report.ok());
        assertTrue(report.problems().get(0).contains("ND4J did not load on executor 0 on worker-0")
                && report.problems().get(0).contains("no jnind4jcpu"), report.problems().toString());
        assertTrue(report.text().contains("ND4J failed: UnsatisfiedLinkError"), report.text());
    }

    @Test
    void unsetOmpNumThreadsAndSilentExecutorsAreWarningsNotFailures() {
        DoctorReport report = DoctorReport.of(VERSIONS, probe("driver", "CPU", CPU, "1"), "spark://m:7077", 3,
                List.of(probe("0", "CPU", CPU, "")));
        assertTrue(report.ok());
        assertEquals(2, report.warnings().size(), report.warnings().toString());
        assertTrue(report.warnings().get(0).startsWith("1 of 3 registered executors"), report.warnings().toString());
        assertTrue(report.warnings().get(1).contains("OMP_NUM_THREADS is not set"), report.warnings().toString());
    }

    @Test
    void theJsonFormCarriesTheVerdictAndEveryProbe() throws Exception {
        DoctorReport report = DoctorReport.of(VERSIONS, probe("driver", "CPU", CPU, "1"), "local[2]", 1,
                List.of(probe("driver", "CPU", CPU, "1")));
        JsonNode json = Json.mapper().readTree(Json.mapper().writeValueAsString(report));
        assertTrue(json.get("ok").asBoolean());
        assertEquals("nd4j-native", json.at("/driver/backendArtifact").asText());
        assertEquals(8L << 30, json.at("/driver/devices/0/totalBytes").asLong());
        assertEquals("worker-driver", json.at("/executors/0/host").asText());
        assertEquals("3.5.7", json.at("/versions/spark").asText());
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
