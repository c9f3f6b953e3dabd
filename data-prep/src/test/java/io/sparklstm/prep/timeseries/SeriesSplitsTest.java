package io.sparklstm.prep.timeseries;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
}
