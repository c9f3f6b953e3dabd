package io.sparklstm.prep.timeseries;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class SeriesSplitsTest {

    private static Map<String, SeriesSplits.Series> stations(int n) {
        Map<String, SeriesSplits.Series> m = new TreeMap<>();
        for (int i = 0; i < n; i++) m.put("station-" + i, new SeriesSplits.Series(i * 100L, 100));
        return m;
    }

    @Test
    void entitySplitAssignsWholeSeriesInTheFractionProportions() {
        Map<String, Integer> assigned = SeriesSplits.byEntity(List.of(0.6, 0.2, 0.2), stations(20), 7L).entitySplits();
        assertEquals(20, assigned.size());
        assertEquals(12, assigned.values().stream().filter(s -> s == 0).count());
        assertEquals(4, assigned.values().stream().filter(s -> s == 1).count());
        assertEquals(4, assigned.values().stream().filter(s -> s == 2).count());
    }

    @Test
    void entitySplitIsStableForASeedAndChangesWithIt() {
        Map<String, Integer> a = SeriesSplits.byEntity(List.of(0.5, 0.25, 0.25), stations(40), 7L).entitySplits();
        assertEquals(a, SeriesSplits.byEntity(List.of(0.5, 0.25, 0.25), stations(40), 7L).entitySplits());
        assertNotEquals(a, SeriesSplits.byEntity(List.of(0.5, 0.25, 0.25), stations(40), 8L).entitySplits());
    }

    @Test
    void fractionSplitIsPerSeries() {
        SeriesSplits s = SeriesSplits.byFractions(List.of(0.5, 0.3, 0.2), stations(2));
        SeriesRow second = new SeriesRow("station-1", 0, new double[0], new String[0], 0, 1);
        assertEquals(0, s.of(second, 100 + 49));
        assertEquals(1, s.of(second, 100 + 50));
        assertEquals(2, s.of(second, 100 + 99));
    }

    private static int[] byRow(SeriesSplits s, int rows) {
        int[] out = new int[rows];
        for (int i = 0; i < rows; i++) out[i] = s.of(new SeriesRow("station-0", i, new double[0], new String[0], 0, 1), i);
        return out;
    }

    private static int[] expected(int trainEnd, int validationEnd, int testStart, int testEnd, int rows) {
        int[] out = new int[rows];
        for (int i = 0; i < rows; i++) {
            out[i] = i < trainEnd ? 0 : i < validationEnd ? 1 : i < testStart ? -1 : i < testEnd ? 2 : -1;
        }
        return out;
    }

    /**
     * Rolling origin: fold j of 3 validates on the validation fraction's length (10 rows of 100) ending 2 - j lengths
     * before the configured validation's end and trains on every row before it; the test rows are the configured
     * ones in every fold, the rows between a fold's validation and the test in none; the last fold is the
     * configured split. So no fold trains on a row at or after one it validates on, and the folds' validation
     * ranges follow each other without overlap.
     */
    @Test
    void timeFoldsRollTheOriginBackOneValidationLengthPerFold() {
        List<Double> fractions = List.of(0.6, 0.1, 0.2);
        Map<String, SeriesSplits.Series> one = stations(1);
        assertArrayEquals(byRow(SeriesSplits.byFractions(fractions, one), 100), byRow(SeriesSplits.byFractions(
                fractions, 3, 2, one), 100));
        assertArrayEquals(expected(60, 70, 70, 90, 100), byRow(SeriesSplits.byFractions(fractions, 3, 2, one), 100));
        assertArrayEquals(expected(50, 60, 70, 90, 100), byRow(SeriesSplits.byFractions(fractions, 3, 1, one), 100));
        assertArrayEquals(expected(40, 50, 70, 90, 100), byRow(SeriesSplits.byFractions(fractions, 3, 0, one), 100));
        // by dates: train before 60, validation before 70, test before 90 (the row index is its time here)
        for (int fold = 0; fold < 3; fold++) {
            assertArrayEquals(byRow(SeriesSplits.byFractions(fractions, 3, fold, one), 100),
                    byRow(SeriesSplits.byDates(60, 70, 90, 3, fold, one), 100), "fold " + fold + " by dates");
        }
        assertArrayEquals(byRow(SeriesSplits.byDates(60, 70, 90, one), 100),
                byRow(SeriesSplits.byDates(60, 70, 90, 3, 2, one), 100));
    }
}
