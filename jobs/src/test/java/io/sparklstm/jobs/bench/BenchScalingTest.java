package io.sparklstm.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparklstm.model.Json;
import io.sparklstm.prep.io.InputDataException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The model fed from a bench.json: which measured figures go where. */
class BenchScalingTest {

    /** A bench.json as bench writes it (only the fields the model reads): one shape, 1 and 2 workers measured. */
    private static final String BENCH = """
            {"averagingFrequency": 5, "results": [{"inputs": 8, "units": 64, "steps": 50, "minibatch": 32,
              "spark": {
                "1": {"examplesPerSecond": 900, "roundMs": 187.5, "rounds": {"rounds": 6, "roundMs": 178,
                      "broadcastMs": 4, "schedulingMs": 40, "workerInitMs": 0.5, "workerFitMs": 110,
                      "workerOtherMs": 9.5, "applyMs": 1, "overheadMs": 68, "overheadFraction": 0.38}},
                "2": {"examplesPerSecond": 1500, "roundMs": 213.3, "rounds": {"rounds": 6, "roundMs": 213,
                      "broadcastMs": 6, "schedulingMs": 50, "workerInitMs": 0.7, "workerFitMs": 130,
                      "workerOtherMs": 12, "applyMs": 1.5, "overheadMs": 83, "overheadFraction": 0.39}}}}]}
            """;

    private static final ScalingModel.Network NET = new ScalingModel.Network(8e9, 0.1);

    private static JsonNode bench(String json) throws Exception {
        return Json.mapper().readTree(json);
    }

    private static List<BenchScaling.ShapeScaling> scale(String json, List<Integer> from, Optional<Double> taskMs)
            throws Exception {
        return BenchScaling.of(bench(json), new BenchScaling.Settings(List.of(2, 4), NET, taskMs, from),
                shape -> 1_000_000);
    }

    @Test
    void perWorkerCostsComeFromTheSmallestCountAndPerResultTimeFromTheSchedulingLineThroughAll() throws Exception {
        BenchScaling.ShapeScaling s = scale(BENCH, List.of(), Optional.empty()).get(0);
        ScalingModel.Costs c = s.costs();
        assertEquals(List.of(1, 2), s.fromWorkers());
        assertEquals(22, c.fitMsPerMinibatch(), 1e-12);
        assertEquals(10, c.workerMs(), 1e-12);
        assertEquals(4, c.broadcastMs(), 1e-12);
        assertEquals(1, c.applyMs(), 1e-12);
        assertEquals(9.5, c.betweenMs(), 1e-9, "the rate's round (187.5) beyond the median round (178)");
        assertEquals(30, c.jobMs(), 1e-9);
        assertEquals(0, c.taskMs(), 1e-9);
        assertEquals(10, c.resultMs(), 1e-9);
        assertEquals(1_000_000, c.transferBytes());
        assertEquals(32, c.minibatch());
        assertEquals(5, c.averagingFrequency());
        assertEquals(List.of(1, 2, 4), s.rounds().stream().map(r -> r.predicted().workers()).toList());
        BenchScaling.Row two = s.rounds().get(1);
        assertEquals(1500, two.measuredExamplesPerSecond());
        assertEquals(two.predicted().examplesPerSecond() / 1500 - 1, two.error(), 1e-3);
        assertNull(s.rounds().get(2).measuredExamplesPerSecond());
        assertTrue(BenchScaling.table(List.of(s)).contains("units 64, steps 50, minibatch 32"));
    }

    /** The validation case: two workers predicted from one alone, then compared with two measured. */
    @Test
    void fromOneWorkerAloneAllSchedulingIsPerStageUnlessAPerTaskCostIsGiven() throws Exception {
        ScalingModel.Costs alone = scale(BENCH, List.of(1), Optional.empty()).get(0).costs();
        assertEquals(40, alone.jobMs(), 1e-9);
        assertEquals(0, alone.taskMs(), 1e-9);
        ScalingModel.Costs given = scale(BENCH, List.of(1), Optional.of(15.0)).get(0).costs();
        assertEquals(25, given.jobMs(), 1e-9);
        assertEquals(15, given.taskMs(), 1e-9);
        assertEquals(0, given.resultMs(), 1e-9);
    }

    /**
     * Rounds in one job predicted from the same costs: no measured rate beside them (the bench ran one job per
     * round), and a bench that itself ran rounds in one job is refused, its per-round costs being of that mode.
     */
    @Test
    void roundsInOneJobArePredictedFromOneJobPerRoundsCostsOnly() throws Exception {
        BenchScaling.ShapeScaling s = BenchScaling.of(bench(BENCH), new BenchScaling.Settings(List.of(2, 4), NET,
                Optional.empty(), List.of(), 30), shape -> 1_000_000).get(0);
        assertEquals(30, s.roundsPerJob());
        BenchScaling.Row two = s.rounds().get(1);
        assertEquals(ScalingModel.predict(s.costs(), NET, 2, 30), two.predicted());
        assertNull(two.measuredExamplesPerSecond());
        assertNull(two.error());
        assertTrue(BenchScaling.table(List.of(s)).contains("30 rounds per Spark job"));

        String jobMode = BENCH.replace("{\"averagingFrequency\": 5,", "{\"averagingFrequency\": 5, \"roundsPerJob\": 30,");
        InputDataException e = assertThrows(InputDataException.class, () -> scale(jobMode, List.of(), Optional.empty()));
        assertTrue(e.getMessage().contains("training.roundsPerJob = 1"), e.getMessage());
    }

    @Test
    void aBenchWithoutWhatTheModelNeedsIsRefusedNamingTheShapeAndTheField() throws Exception {
        String noWorkerTimes = BENCH.replace("\"workerFitMs\": 110,", "");
        assertTrue(assertThrows(InputDataException.class, () -> scale(noWorkerTimes, List.of(), Optional.empty()))
                .getMessage().contains("results[0] (units 64, steps 50, minibatch 32): spark.1.rounds has no workers'"));
        String noBroadcast = BENCH.replace("\"broadcastMs\": 4,", "");
        assertTrue(assertThrows(InputDataException.class, () -> scale(noBroadcast, List.of(), Optional.empty()))
                .getMessage().contains("spark.1.rounds: broadcastMs is missing"));
        assertTrue(assertThrows(InputDataException.class, () -> scale(BENCH, List.of(3), Optional.empty()))
                .getMessage().contains("no parameter averaging measured on 3 worker(s) (measured: [1, 2])"));
        assertTrue(assertThrows(InputDataException.class, () -> scale("{\"averagingFrequency\": 5, \"results\": []}",
                List.of(), Optional.empty())).getMessage().contains("no throughput results"));
    }
}
