package io.sparklstm.model.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NaiveForecastsTest {

    /** Channel c at step t holds 100 c + t, so a forecast shows which input it came from. */
    private static final NaiveForecasts.Window WINDOW = (c, t) -> 100 * c + t;

    @Test
    void theSeasonalForecastRepeatsTheLastSeasonOverAHorizonLongerThanIt() {
        NaiveForecasts n = new NaiveForecasts(10, 7, new int[]{2}, 3, NaiveForecasts.Offset.NONE, true);
        // steps 7, 8, 9 are the last season; horizon steps 0..6 read 7, 8, 9, 7, 8, 9, 7
        int[] expected = {7, 8, 9, 7, 8, 9, 7};
        for (int h = 0; h < 7; h++) {
            assertEquals(200 + expected[h], n.forecast(NaiveForecasts.SEASONAL, WINDOW, h, 0), 0.0, "h " + h);
            assertEquals(209, n.forecast(NaiveForecasts.PERSISTENCE, WINDOW, h, 0), 0.0);
            assertEquals(0, n.forecast(NaiveForecasts.MEAN, WINDOW, h, 0), 0.0);
        }
        assertEquals(List.of("persistence", "seasonal", "mean"), n.baselines());
        assertEquals(3, n.scaleLag());
    }

    @Test
    void targetsAreMeasuredFromTheirOffsetSoAnAllZeroOutputIsThatBaseline() {
        NaiveForecasts last = new NaiveForecasts(4, 2, new int[]{0, 1}, 0, NaiveForecasts.Offset.LAST, false);
        assertEquals(103, last.offset(WINDOW, 1, 1), 0.0);
        assertEquals(List.of("persistence"), last.baselines());
        assertEquals(1, last.scaleLag());
        NaiveForecasts season = new NaiveForecasts(4, 2, new int[]{1}, 2, NaiveForecasts.Offset.SEASON, true);
        assertEquals(102, season.offset(WINDOW, 0, 0), 0.0);
        assertEquals(103, season.offset(WINDOW, 1, 0), 0.0);
        assertEquals(0, new NaiveForecasts(4, 2, new int[]{1}, 2, NaiveForecasts.Offset.NONE, true)
                .offset(WINDOW, 1, 0), 0.0);
    }

    @Test
    void aSeasonLongerThanTheWindowOrASeasonOffsetWithoutOneIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new NaiveForecasts(4, 2, new int[]{0}, 5, NaiveForecasts.Offset.NONE, true));
        assertThrows(IllegalArgumentException.class,
                () -> new NaiveForecasts(4, 2, new int[]{0}, 0, NaiveForecasts.Offset.SEASON, true));
    }
}
