package io.sparklstm.prep.timeseries;

import io.sparklstm.model.data.DatasetManifest;
import io.sparklstm.prep.SparkPrepareIT;
import io.sparklstm.prep.config.SplitConfig;
import io.sparklstm.prep.job.PrepareJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.sparklstm.prep.timeseries.TimeSeriesFixtures.etth1Slice;
import static io.sparklstm.prep.timeseries.TimeSeriesFixtures.timeseries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A validation or test split of a time series that is too short for one window. */
class EmptySplitIT extends SparkPrepareIT {

    /**
     * End dates two hours apart leave the validation split 2 rows, fewer than a window: an input error naming the
     * split, its rows, the window and the dates; the same dates with a validation fraction of 0 prepare without
     * a validation split.
     */
    @Test
    void aValidationSplitShorterThanAWindowIsAnErrorUnlessItsFractionIsZero(@TempDir Path dir) throws IOException {
        Path csv = etth1Slice(dir, 480);
        SplitConfig twoHours = new SplitConfig(SplitConfig.Method.TIME, List.of(0.7, 0.1, 0.2),
                "2016-07-11 00:00:00", "2016-07-11 02:00:00", "");
        Exception e = assertThrows(Exception.class,
                () -> PrepareJob.run(sc, timeseries(csv, twoHours, 12, 4), dir.resolve("o").toString(), false, Map.of()));
        assertEquals("the validation split has no examples (2 rows assigned to it; a window needs "
                + "timeseries.windowSteps + timeseries.horizonSteps = 16) with split.trainEnd = \"2016-07-11 00:00:00\", "
                + "split.validationEnd = \"2016-07-11 02:00:00\", split.testEnd = \"\"; change the split settings, or set "
                + "its entry in split.fractions to 0 to prepare without a validation split", inputError(e).getMessage());
        assertFalse(Files.exists(dir.resolve("o").resolve(DatasetManifest.FILE_NAME)));

        SplitConfig noValidation = new SplitConfig(SplitConfig.Method.TIME, List.of(0.7, 0.0, 0.2),
                "2016-07-11 00:00:00", "2016-07-11 02:00:00", "");
        DatasetManifest m = PrepareJob.run(sc, timeseries(csv, noValidation, 12, 4), dir.resolve("without").toString(),
                false, Map.of());
        assertEquals(0, m.split("validation").examples());
        assertEquals(2, m.split("validation").rows());
        assertEquals(240 - 16 + 1, m.split("train").examples());
        assertEquals(480 - 242 - 16 + 1, m.split("test").examples());
    }
}
