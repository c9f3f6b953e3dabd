package io.sparklstm.jobs.train;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AveragingPeriodTest {

    private static int size(double secondsPerMinibatch, double target, int first, long left) {
        return AveragingPeriod.minibatchesPerWorker(OptionalDouble.of(secondsPerMinibatch), target, first, left,
                Integer.MAX_VALUE);
    }

    @Test
    void aMeasuredRateGivesTheMinibatchesThatFitInThePeriodRoundedToTheNearest() {
        assertEquals(20, size(0.1, 2, 5, 1000));
        assertEquals(3, size(0.1, 0.34, 5, 1000));
        assertEquals(4, size(0.1, 0.36, 5, 1000));
        assertEquals(7, size(1.5, 10, 5, 1000), "10 / 1.5 = 6.67");
    }

    @Test
    void theRestOfTheEpochIsSpreadEvenlyOverTheRoundsItTakesAtThatSize() {
        assertEquals(7, size(0.1, 0.8, 5, 13), "8 wanted, 13 left: 7 and then 6, not 8 and 5");
        assertEquals(6, size(0.1, 0.8, 5, 6));
        assertEquals(3, size(0.1, 0.3, 5, 10), "3 wanted, 10 left: 4 rounds, 3 now (then 3, 2, 2)");
        assertEquals(2, size(0.1, 0.3, 5, 4), "3 wanted, 4 left: 2 and 2, not 3 and 1");
    }

    @Test
    void beforeAnyRoundIsMeasuredTheRoundIsAveragingFrequency() {
        assertEquals(5, AveragingPeriod.minibatchesPerWorker(OptionalDouble.empty(), 2, 5, 1000, 100));
        assertEquals(3, AveragingPeriod.minibatchesPerWorker(OptionalDouble.empty(), 2, 5, 3, 100),
                "but no more than is left");
    }

    @Test
    void aRoundIsAtLeastOneMinibatchAndAtMostWhatIsLeftOfTheEpoch() {
        assertEquals(1, size(10, 0.001, 5, 1000), "slower than the period: one minibatch");
        assertEquals(13, size(0.001, 3600, 5, 13), "the rest of the epoch");
        assertEquals(13, size(Double.MIN_VALUE, 1e300, 5, 13), "far beyond a long: still the rest of the epoch");
        assertEquals(1, size(0.1, 2, 5, 1));
        assertEquals(7, AveragingPeriod.minibatchesPerWorker(OptionalDouble.of(0.001), 3600, 5, 1000, 7),
                "no more than dl4j-spark can count");
        assertThrows(IllegalArgumentException.class, () -> size(0.1, 2, 5, 0));
    }

    @Test
    void theRateIsTheWorkersFitTimeOverTheirMinibatchesInTheLastThreeRounds() {
        AveragingPeriod period = new AveragingPeriod(1.0, 5, 2, 16);
        assertTrue(period.secondsPerMinibatch().isEmpty());
        assertEquals(5, period.next(10_000));
        // worker 1: 3 minibatches (40 examples) in 600 ms; worker 2: 2 (32 examples) in 300 ms: 0.9 s / 5
        period.fitted(round(40, 32), times(List.of(600.0, 300.0), 2000));
        assertEquals(0.18, period.secondsPerMinibatch().getAsDouble(), 1e-12);
        assertEquals(6, period.next(10_000), "1 / 0.18 = 5.6");
        period.fitted(round(32, 32), times(List.of(400.0, 400.0), 2000)); // 0.2 s per minibatch
        period.fitted(round(32, 32), times(List.of(400.0, 400.0), 2000));
        period.fitted(round(32, 32), times(List.of(400.0, 400.0), 2000));
        assertEquals(0.2, period.secondsPerMinibatch().getAsDouble(), 1e-12, "the first round is out");
        assertEquals(5, period.next(10_000));
        assertEquals(2, period.next(40), "40 examples left: 3 minibatches, 2 for the busier worker");
    }

    @Test
    void withoutWorkerTimesTheWholeRoundPerMinibatchOfTheBusiestWorkerIsTheRate() {
        AveragingPeriod period = new AveragingPeriod(1.0, 5, 2, 16);
        period.fitted(round(48, 32), times(List.of(), 1500));
        assertEquals(0.5, period.secondsPerMinibatch().getAsDouble(), 1e-12, "1.5 s over 3 minibatches");
        assertEquals(2, period.next(10_000));
    }

    @Test
    void roundsWithoutAUsableTimeAreLeftOut() {
        AveragingPeriod period = new AveragingPeriod(1.0, 5, 2, 16);
        period.fitted(round(48, 32), times(List.of(), Double.NaN));
        period.fitted(round(48, 32), times(List.of(0.0, 0.0), 10));
        assertTrue(period.secondsPerMinibatch().isEmpty());
        assertEquals(5, period.next(10_000));
    }

    @Test
    void aPeriodOfNoTimeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new AveragingPeriod(0, 5, 2, 16));
        assertThrows(IllegalArgumentException.class, () -> new AveragingPeriod(Double.NaN, 5, 2, 16));
    }

    /** A round of two workers, each with one piece of the given examples. */
    private static AveragingRounds.Round round(int first, int second) {
        return new AveragingRounds.Round(List.of(
                List.of(new AveragingRounds.Piece("a", 0, first, first)),
                List.of(new AveragingRounds.Piece("b", 0, second, second))));
    }

    private static RoundTimes times(List<Double> fitMs, double roundMs) {
        return new RoundTimes(10, roundMs - 20, 1, roundMs, fitMs.stream()
                .map(ms -> new WorkerTime(0.5, ms, ms + 20, false)).toList(), 5);
    }
}
