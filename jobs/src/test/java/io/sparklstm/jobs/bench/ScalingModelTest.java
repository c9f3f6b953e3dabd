package io.sparklstm.jobs.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScalingModelTest {

    /** 8 Gb/s: one megabyte per millisecond; 0.1 ms per request. */
    private static final ScalingModel.Network NET = new ScalingModel.Network(8e9, 0.1);

    /** 5 minibatches of 32 at 20 ms each, 1 MB per transfer (one broadcast piece). */
    private static ScalingModel.Costs costs(long bytes) {
        return new ScalingModel.Costs(32, 5, 20, 10, 5, 31, 2, 0, 1, 0, bytes);
    }

    /**
     * By hand: compute 5 x 20 = 100, worker 10. One worker: broadcast 5 + 1 MB + 2 x 0.1 = 6.2, aggregation
     * 1 + 1 MB + 0.1 = 2.1, scheduling 31 + 2 = 33; round 151.3 ms, 160 examples. Four: no extra aggregation
     * level (4 > 2 + 2 is false); broadcast 5 + 4 + 0.2, aggregation 1 + 4 + 0.1, scheduling 31 + 8. Sixteen: one
     * level of 4 partial sums (16 > 4 + 4); broadcast 5 + 16 + 0.2 = 21.2, aggregation 1 + (4 + 0.1) + (4 + 0.1)
     * = 9.2, scheduling (31 + 32) + (31 + 8) = 102; round 242.4.
     */
    @Test
    void aRoundIsTheSumOfItsPartsAsComputedByHand() {
        ScalingModel.Costs c = costs(1_000_000);
        ScalingModel.Round one = ScalingModel.predict(c, NET, 1);
        assertClose(151.3, one.roundMs());
        assertClose(6.2, one.broadcastMs());
        assertClose(2.1, one.aggregationMs());
        assertClose(33, one.schedulingMs());
        assertClose(160_000 / 151.3, one.examplesPerSecond());
        assertClose(1, one.speedup());

        ScalingModel.Round four = ScalingModel.predict(c, NET, 4);
        assertEquals(List.of(), four.aggregationLevels());
        assertClose(9.2, four.broadcastMs());
        assertClose(5.1, four.aggregationMs());
        assertClose(39, four.schedulingMs());
        assertClose(163.3, four.roundMs());
        assertClose(640_000 / 163.3, four.examplesPerSecond());
        assertClose((640_000 / 163.3) / (160_000 / 151.3), four.speedup());
        assertClose(four.speedup() / 4, four.efficiency());
        assertEquals(ScalingModel.Part.COMPUTE, four.dominant());

        ScalingModel.Round sixteen = ScalingModel.predict(c, NET, 16);
        assertEquals(List.of(4), sixteen.aggregationLevels());
        assertClose(100, sixteen.computeMs());
        assertClose(10, sixteen.workerMs());
        assertClose(21.2, sixteen.broadcastMs());
        assertClose(9.2, sixteen.aggregationMs());
        assertClose(102, sixteen.schedulingMs());
        assertClose(242.4, sixteen.roundMs());
        assertClose(16 * 160_000 / 242.4, sixteen.examplesPerSecond());
        assertEquals(ScalingModel.Part.SCHEDULING, sixteen.dominant());
    }

    /** 10 MiB: pieces of 4, 4 and 2 MiB; two executors take 2 + 3 - 1 piece times, and 2 x 3 requests. */
    @Test
    void aBroadcastOfSeveralPiecesCostsTheDriversPiecesThenOnePieceTimeForEachOther() {
        ScalingModel.Costs c = costs(10L << 20);
        assertClose(5 + 4 * (4 << 20) / 1e6 + 0.6, ScalingModel.broadcastMs(c, NET, 2));
        assertClose(5 + 66 * (4 << 20) / 1e6 + 0.6, ScalingModel.broadcastMs(c, NET, 64));
    }

    /** Spark's rule: a level only while it saves time; scale = max(ceil(sqrt(N)), 2) for depth 2. */
    @Test
    void treeAggregateAddsALevelOfAboutSqrtNPartialSumsFromSixPartitions() {
        Map<Integer, Integer> expected = Map.of(1, 1, 2, 2, 4, 4, 5, 5, 6, 2, 8, 2, 9, 3, 16, 4, 32, 5, 64, 8);
        expected.forEach((n, p) -> assertEquals(p, ScalingModel.treeAggregatePartitions(n, 2), "N = " + n));
        assertEquals(List.of(10), ScalingModel.aggregationLevels(100, 2));
        assertEquals(List.of(), ScalingModel.aggregationLevels(5, 2));
    }

    @Test
    void withNothingButComputeTheSpeedUpIsTheWorkerCount() {
        ScalingModel.Costs free = new ScalingModel.Costs(32, 5, 20, 0, 0, 0, 0, 0, 0, 0, 0);
        ScalingModel.Network instant = new ScalingModel.Network(1e9, 0);
        for (int n = 1; n <= 64; n++) {
            ScalingModel.Round r = ScalingModel.predict(free, instant, n);
            assertClose(n, r.speedup());
            assertClose(1, r.efficiency());
            assertEquals(ScalingModel.Part.COMPUTE, r.dominant());
        }
        assertEquals(Optional.empty(), ScalingModel.ceilingExamplesPerSecond(free, instant));
        assertEquals(Optional.empty(), ScalingModel.firstBelow(free, instant, 0.5, 1024));
    }

    /** More bandwidth or less latency never slows a round; more bytes never speed one up; efficiency stays <= 1. */
    @Test
    void theNetworkAndTheModelSizeMoveTheRateTheWayTheyShould() {
        List<Long> sizes = List.of(0L, 1_000_000L, 3_300_000L, 13_000_000L, 100_000_000L);
        for (int n = 1; n <= 128; n++) {
            for (int i = 0; i < sizes.size(); i++) {
                ScalingModel.Costs c = costs(sizes.get(i));
                double rate = ScalingModel.examplesPerSecond(c, NET, n);
                assertTrue(ScalingModel.examplesPerSecond(c, new ScalingModel.Network(16e9, 0.1), n) >= rate);
                assertTrue(ScalingModel.examplesPerSecond(c, new ScalingModel.Network(8e9, 0.5), n) <= rate);
                if (i > 0) assertTrue(rate <= ScalingModel.examplesPerSecond(costs(sizes.get(i - 1)), NET, n));
                assertTrue(ScalingModel.predict(c, NET, n).efficiency() <= 1 + 1e-12, "N = " + n);
            }
        }
    }

    /**
     * 100 MB at 1 Gb/s (800 ms per transfer): efficiency falls below half by 4 workers, and at 64 the aggregation
     * (8 + 8 results through a link) dominates; the rate still rises, towards 160 examples per (2 ms per task +
     * one 4 MiB piece, 33.55 ms).
     */
    @Test
    void aLargeModelOnASlowNetworkStopsScalingOnItsTransfers() {
        ScalingModel.Costs big = costs(100_000_000);
        ScalingModel.Network slow = new ScalingModel.Network(1e9, 0.1);
        assertTrue(ScalingModel.firstBelow(big, slow, 0.5, 1024).orElseThrow() <= 4);
        assertEquals(ScalingModel.Part.AGGREGATION, ScalingModel.predict(big, slow, 64).dominant());
        double ceiling = 160_000 / (2 + (4 << 20) * 8 / 1e6);
        assertClose(ceiling, ScalingModel.ceilingExamplesPerSecond(big, slow).orElseThrow());
        for (int n = 1; n <= 1024; n *= 2) {
            assertTrue(ScalingModel.examplesPerSecond(big, slow, n) < ceiling);
            if (n > 1) assertTrue(ScalingModel.examplesPerSecond(big, slow, n)
                    > ScalingModel.examplesPerSecond(big, slow, n / 2), "N = " + n);
        }
    }

    /** Up to five workers the driver takes in one result per worker: with 3 ms each, 4 x 3 and (4 + 4) x 3 more. */
    @Test
    void eachResultCostsItsReceiverCpuBesidesTheTransfer() {
        ScalingModel.Costs results = new ScalingModel.Costs(32, 5, 20, 10, 5, 31, 2, 3, 1, 0, 1_000_000);
        assertClose(5.1 + 12, ScalingModel.predict(results, NET, 4).aggregationMs());
        assertClose(9.2 + 24, ScalingModel.predict(results, NET, 16).aggregationMs());
    }

    @Test
    void theMeasuredSchedulingLineIsSplitIntoPerStageAndPerResultBeyondTheTaskLaunch() {
        assertLine(30, 0, 2, ScalingModel.schedulingLine(Map.of(1, 32.0, 2, 34.0), Optional.empty()));
        assertLine(30, 1, 1, ScalingModel.schedulingLine(Map.of(1, 32.0, 2, 34.0), Optional.of(1.0)));
        assertLine(40, 0, 0, ScalingModel.schedulingLine(Map.of(1, 40.0), Optional.empty()));
        assertLine(35, 0, 0, ScalingModel.schedulingLine(Map.of(1, 40.0, 2, 30.0), Optional.empty()));
        assertLine(0, 0, 18, ScalingModel.schedulingLine(Map.of(1, 10.0, 2, 40.0), Optional.empty()));
        assertLine(35, 5, 0, ScalingModel.schedulingLine(Map.of(1, 40.0), Optional.of(5.0)));
        assertLine(0, 50, 0, ScalingModel.schedulingLine(Map.of(1, 40.0), Optional.of(50.0)));
    }

    /** The driver's time between rounds is scheduling, the same at any N. */
    @Test
    void timeBetweenRoundsAddsToEveryRoundAlike() {
        ScalingModel.Costs between = new ScalingModel.Costs(32, 5, 20, 10, 5, 31, 2, 0, 1, 7, 1_000_000);
        for (int n : List.of(1, 4, 16)) {
            assertClose(ScalingModel.predict(costs(1_000_000), NET, n).schedulingMs() + 7,
                    ScalingModel.predict(between, NET, n).schedulingMs());
        }
    }

    /**
     * Ten rounds per job, by hand (1 MB, 8 Gb/s: 1 ms per transfer): four workers: broadcast (5 + 4 + 0.2) / 10 =
     * 0.92, aggregation: the exchange 4 x 2 + 0.1 plus apply 1 / 10 = 8.2, scheduling (31 + 8) / 10 = 3.9; round
     * 100 + 10 + 0.92 + 8.2 + 3.9 = 123.02. Sixteen: no tree; broadcast 2.12, aggregation 32.2, scheduling 6.3;
     * round 150.62.
     */
    @Test
    void roundsInOneJobPayTheJobOncePerKRoundsAndTheExchangeEveryRound() {
        ScalingModel.Costs c = costs(1_000_000);
        ScalingModel.Round four = ScalingModel.predict(c, NET, 4, 10);
        assertClose(0.92, four.broadcastMs());
        assertClose(8.2, four.aggregationMs());
        assertClose(3.9, four.schedulingMs());
        assertClose(123.02, four.roundMs());
        assertClose(640_000 / 123.02, four.examplesPerSecond());
        ScalingModel.Round sixteen = ScalingModel.predict(c, NET, 16, 10);
        assertEquals(List.of(), sixteen.aggregationLevels());
        assertClose(2.12, sixteen.broadcastMs());
        assertClose(32.2, sixteen.aggregationMs());
        assertClose(6.3, sixteen.schedulingMs());
        assertClose(150.62, sixteen.roundMs());
        for (int n : List.of(1, 2, 16, 64)) {
            assertEquals(ScalingModel.predict(c, NET, n), ScalingModel.predict(c, NET, n, 1), "N = " + n);
        }
        assertThrows(IllegalArgumentException.class, () -> ScalingModel.predict(c, NET, 4, 0));
    }

    /**
     * Without a per-task cost, rounds in one job win where the per-job floor weighs (two workers: 118.02 against
     * 151.3 ms a round) and lose where the 2 x N transfers through the driver do (1,024 workers, where one job per
     * round takes in about sqrt(N) results): a lower ceiling, 160 examples / 2.1 ms against 160 / 1 ms.
     */
    @Test
    void roundsInOneJobWinOnFewWorkersAndLoseOnManyWhenTheTransfersDominate() {
        ScalingModel.Costs c = new ScalingModel.Costs(32, 5, 20, 10, 5, 31, 0, 0, 1, 0, 1_000_000);
        assertClose(118.02, ScalingModel.predict(c, NET, 2, 10).roundMs());
        assertClose(151.3, ScalingModel.predict(c, NET, 2).roundMs());
        assertTrue(ScalingModel.examplesPerSecond(c, NET, 2, 10) > ScalingModel.examplesPerSecond(c, NET, 2));
        assertTrue(ScalingModel.examplesPerSecond(c, NET, 1024, 10) < ScalingModel.examplesPerSecond(c, NET, 1024));
        assertClose(160_000 / 2.1, ScalingModel.ceilingExamplesPerSecond(c, NET, 10).orElseThrow());
        assertClose(160_000 / 1.0, ScalingModel.ceilingExamplesPerSecond(c, NET).orElseThrow());
        assertEquals(ScalingModel.Part.AGGREGATION, ScalingModel.predict(c, NET, 1024, 10).dominant());
    }

    @Test
    void impossibleInputsAreRefusedWithTheirName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ScalingModel.Network(0, 0.1)).getMessage()
                .contains("bandwidth"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ScalingModel.Network(1e9, -1)).getMessage()
                .contains("latency"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new ScalingModel.Costs(32, 5, 20, 10, 5, 31, -2, 0, 1, 0, 0)).getMessage().contains("per task"));
        assertThrows(IllegalArgumentException.class, () -> ScalingModel.predict(costs(0), NET, 0));
    }

    private static void assertLine(double job, double task, double result, ScalingModel.Scheduling line) {
        assertClose(job, line.jobMs());
        assertClose(task, line.taskMs());
        assertClose(result, line.resultMs());
    }

    private static void assertClose(double expected, double actual) {
        assertEquals(expected, actual, 1e-9 * Math.max(1, Math.abs(expected)));
    }
}
