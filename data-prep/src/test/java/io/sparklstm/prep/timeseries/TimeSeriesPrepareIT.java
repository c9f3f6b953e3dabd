package io.sparklstm.prep.timeseries;

import io.sparklstm.model.data.DatasetManifest;
import io.sparklstm.prep.SparkPrepareIT;
import io.sparklstm.prep.SparkTestContext;
import io.sparklstm.prep.config.PrepareConfig;
import io.sparklstm.prep.config.SplitConfig;
import io.sparklstm.prep.config.TimeSeriesConfig;
import io.sparklstm.prep.io.InputDataException;
import io.sparklstm.prep.job.PrepareJob;
import io.sparklstm.prep.output.OutputRefusedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.sparklstm.prep.timeseries.TimeSeriesFixtures.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prepares slices of the real ETTh1 table with a real local Spark. */
class TimeSeriesPrepareIT extends SparkPrepareIT {




    @Test
    void everyWindowInsideOneSplitIsCutOnce(@TempDir Path dir) throws IOException {
        Path csv = etth1Slice(dir, 1000);
        // window 24 + horizon 6 = 30 rows; windows reach across the seam of the two sorted partitions
        DatasetManifest m = PrepareJob.run(sc, timeseries(csv, fractions(0.6, 0.2, 0.2), 24, 6),
                dir.resolve("out").toString(), false, Map.of());
        // train rows [0,600): starts 0..570; validation [600,800): 600..770; test [800,1000): 800..970
        assertEquals(571, m.split("train").examples());
        assertEquals(171, m.split("validation").examples());
        assertEquals(171, m.split("test").examples());
        assertEquals(600, m.split("train").rows());
        assertEquals("2016-07-26T00:00", m.split("validation").firstTime());
        assertEquals(List.of("HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL", "OT"), m.featureNames());
        assertEquals(7 * 6, m.outputSize());
        assertTrue(Files.exists(dir.resolve("out").resolve(DatasetManifest.FILE_NAME)));
    }

    @Test
    void normalizerComesFromTrainingRowsOnlyAndWindowsHoldTheRightRows(@TempDir Path dir) throws IOException {
        Path csv = etth1Slice(dir, 500);
        Path out = dir.resolve("out");
        DatasetManifest m = PrepareJob.run(sc, timeseries(csv, fractions(0.5, 0.25, 0.25), 10, 3),
                out.toString(), false, Map.of());
        double[][] raw = csvValues(csv);
        double[] mean = new double[7];
        double[] std = new double[7];
        for (int c = 0; c < 7; c++) {
            double sum = 0, sq = 0;
            for (int r = 0; r < 250; r++) {
                sum += raw[r][c];
                sq += raw[r][c] * raw[r][c];
            }
            mean[c] = sum / 250;
            std[c] = Math.sqrt(sq / 250 - mean[c] * mean[c]);
        }
        assertArrayEquals(mean, m.normalizer().mean(), 1e-9);
        assertArrayEquals(std, m.normalizer().std(), 1e-9);

        // Evaluation splits keep time order: the first validation window starts at row 250.
        DataSet first = load(out.resolve(m.split("validation").files().get(0)));
        for (int c = 0; c < 7; c++) {
            for (int t = 0; t < 10; t++) {
                assertEquals((raw[250 + t][c] - mean[c]) / std[c], first.getFeatures().getDouble(0, c, t), 1e-5);
            }
            for (int h = 0; h < 3; h++) {
                assertEquals((raw[260 + h][c] - mean[c]) / std[c], first.getLabels().getDouble(0, h * 7 + c), 1e-5);
            }
        }
    }

    @Test
    void splitByDatesUsesTheTimestamps(@TempDir Path dir) throws IOException {
        Path csv = etth1Slice(dir, 480);
        SplitConfig byDates = new SplitConfig(SplitConfig.Method.TIME, List.of(0.7, 0.1, 0.2),
                "2016-07-11 00:00:00", "2016-07-16 00:00:00", "2016-07-21 00:00:00");
        DatasetManifest m = PrepareJob.run(sc, timeseries(csv, byDates, 12, 4), dir.resolve("o").toString(),
                false, Map.of());
        assertEquals(240, m.split("train").rows());
        assertEquals(120, m.split("validation").rows());
        assertEquals(120, m.split("test").rows());
        assertEquals(240 - 16 + 1, m.split("train").examples());
        assertEquals("2016-07-20T23:00", m.split("test").lastTime());
    }

    @Test
    void sameInputAndSettingsGiveTheSameFiles(@TempDir Path dir) throws IOException {
        Path csv = etth1Slice(dir, 400);
        PrepareConfig config = timeseries(csv, fractions(0.6, 0.2, 0.2), 16, 4);
        DatasetManifest a = PrepareJob.run(sc, config, dir.resolve("a").toString(), false, Map.of());
        DatasetManifest b = PrepareJob.run(sc, config, dir.resolve("b").toString(), false, Map.of());
        assertEquals(a.splits(), b.splits());
        for (String file : a.split("train").files()) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(file)),
                    Files.readAllBytes(dir.resolve("b").resolve(file)), file);
        }
    }

    @Test
    void anUnparsableValueNamesFileLineAndText(@TempDir Path dir) throws IOException {
        Path csv = etth1Slice(dir, 300);
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        lines.set(56, lines.get(56).replaceFirst(",[^,]+,", ",abc,"));
        Files.write(csv, lines, StandardCharsets.UTF_8);
        Path out = dir.resolve("out");
        Exception e = assertThrows(Exception.class, () -> PrepareJob.run(sc,
                timeseries(csv, fractions(0.6, 0.2, 0.2), 8, 2), out.toString(), false, Map.of()));
        InputDataException cause = inputError(e);
        assertTrue(cause.getMessage().contains("etth1-slice.csv:57:"), cause.getMessage());
        assertTrue(cause.getMessage().contains("HUFL: 'abc' is not a finite number"), cause.getMessage());
        assertFalse(Files.exists(out.resolve(DatasetManifest.FILE_NAME)), "no manifest for a failed run");
    }

    @Test
    void aMissingColumnFailsBeforeAnySparkStage(@TempDir Path dir) throws IOException {
        Path csv = etth1Slice(dir, 100);
        PrepareConfig config = timeseries(csv, fractions(0.6, 0.2, 0.2), 8, 2);
        PrepareConfig wrong = new PrepareConfig(config.kind(), config.input(),
                new io.sparklstm.prep.config.TimeSeriesConfig("timestamp", "yyyy-MM-dd HH:mm:ss", List.of(), List.of(),
                        8, 2, 1, TimeSeriesConfig.TargetOffset.NONE), config.sequences(), config.ts(), config.split(), true, 16,
                1);
        long jobsBefore = sc.sc().statusTracker().getJobIdsForGroup(null).length;
        InputDataException e = assertThrows(InputDataException.class,
                () -> PrepareJob.run(sc, wrong, dir.resolve("o").toString(), false, Map.of()));
        assertTrue(e.getMessage().contains("no column 'timestamp'"), e.getMessage());
        assertEquals(jobsBefore, sc.sc().statusTracker().getJobIdsForGroup(null).length);
    }

    @Test
    void aSeriesShorterThanOneWindowIsRefused(@TempDir Path dir) throws IOException {
        Path csv = etth1Slice(dir, 40);
        InputDataException e = assertThrows(InputDataException.class, () -> PrepareJob.run(sc,
                timeseries(csv, fractions(0.5, 0.25, 0.25), 24, 6), dir.resolve("o").toString(), false, Map.of()));
        assertTrue(e.getMessage().contains("fewer than one window of 30 rows"), e.getMessage());
    }

    @Test
    void anEmptyDirectoryIsUsedAndAnExistingDatasetRefusedUnlessOverwriting(@TempDir Path dir) throws IOException {
        Path csv = etth1Slice(dir, 200);
        Path out = Files.createDirectories(dir.resolve("exists"));
        PrepareConfig config = timeseries(csv, fractions(0.6, 0.2, 0.2), 8, 2);
        PrepareJob.run(sc, config, out.toString(), false, Map.of());
        assertThrows(OutputRefusedException.class, () -> PrepareJob.run(sc, config, out.toString(), false, Map.of()));
        DatasetManifest m = PrepareJob.run(sc, config, out.toString(), true, Map.of());
        assertTrue(m.split("train").examples() > 0);
    }


    static DataSet load(Path file) {
        DataSet ds = new DataSet();
        ds.load(file.toFile());
        return ds;
    }
}
