package io.sparklstm.jobs.registry;

import io.sparklstm.model.data.Standardizer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DriftReportTest {

    private final Standardizer training = new Standardizer(List.of("a", "b"), new double[]{10, 0}, new double[]{2, 5});

    @Test
    void meanShiftIsMeasuredInTrainingStandardDeviations() {
        Standardizer now = new Standardizer(List.of("a", "b"), new double[]{13, 1}, new double[]{4, 5});
        assertTrue(DriftReport.compare(training, now, 2.0).withinLimit(), "a moved 1.5 std, b 0.2: within 2");
        DriftReport report = DriftReport.compare(training, now, 1.0);
        assertFalse(report.withinLimit(), "1.5 std is above a limit of 1");
        assertEquals("a", report.largestShiftFeature());
        assertEquals(1.5, report.largestMeanShiftInStd(), 1e-12);
        assertEquals(2.0, report.features().get(0).stdRatio(), 1e-12);
        assertEquals(0.2, report.features().get(1).meanShiftInStd(), 1e-12);
    }

    @Test
    void theReportKeepsTheJsonHistoryHasAlwaysHad() throws Exception {
        Standardizer now = new Standardizer(List.of("a", "b"), new double[]{13, 1}, new double[]{4, 6});
        assertEquals("{\"withinLimit\":false,\"maxMeanShift\":1.0,\"largestMeanShiftInStd\":1.5,"
                + "\"largestShiftFeature\":\"a\",\"features\":[{\"feature\":\"a\",\"trainingMean\":10.0,"
                + "\"newMean\":13.0,\"meanShiftInStd\":1.5,\"stdRatio\":2.0},{\"feature\":\"b\","
                + "\"trainingMean\":0.0,\"newMean\":1.0,\"meanShiftInStd\":0.2,\"stdRatio\":1.2}]}",
                io.sparklstm.model.Json.compact().writeValueAsString(DriftReport.compare(training, now, 1.0)));
    }

    @Test
    void noLimitMeansReportOnly() {
        Standardizer now = new Standardizer(List.of("a", "b"), new double[]{100, 0}, new double[]{2, 5});
        assertTrue(DriftReport.compare(training, now, 0).withinLimit());
        assertTrue(DriftReport.compare(training, now, 0).summary().contains("45.000 standard deviations (a)"));
    }

    @Test
    void differentColumnsAreAnError() {
        Standardizer now = new Standardizer(List.of("a", "c"), new double[]{0, 0}, new double[]{1, 1});
        assertThrows(RegistryException.class, () -> DriftReport.compare(training, now, 1));
    }
}
