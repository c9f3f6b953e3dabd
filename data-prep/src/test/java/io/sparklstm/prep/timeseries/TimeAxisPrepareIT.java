package io.sparklstm.prep.timeseries;

import io.sparklstm.model.data.DatasetManifest;
import io.sparklstm.prep.PreparedExamples;
import io.sparklstm.prep.Rejection;
import io.sparklstm.prep.SparkPrepareIT;
import io.sparklstm.prep.SparkTestContext;
import io.sparklstm.prep.config.Duplicates;
import io.sparklstm.prep.config.Frequency;
import io.sparklstm.prep.config.MissingConfig.Policy;
import io.sparklstm.prep.config.PrepareConfig;
import io.sparklstm.prep.config.SplitConfig;
import io.sparklstm.prep.io.InputDataException;
import io.sparklstm.prep.io.InputFiles;
import io.sparklstm.prep.job.PrepareJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.sparklstm.prep.timeseries.MessyTable.examples;
import static io.sparklstm.prep.timeseries.MessyTable.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The time axis on real data: slices of the shipped ETTh1 table (hourly, no gaps) with rows removed, rows
 * duplicated, a timestamp moved off the hour, and the header and timestamp column stripped, as real tables
 * come. A window must never join two hours that are not consecutive, and nothing may be dropped unsaid.
 */
class TimeAxisPrepareIT extends SparkPrepareIT {

    private static final int ROWS = 240;
    private static final List<String> FEATURES = List.of("HUFL", "MULL", "OT");
    private static final int WINDOW = 6;
    private static final int HORIZON = 2;
    /** Data rows (0-based, hour h of the slice is line h + 2 of the file) removed to make a gap. */
    private static final int GAP_FROM = 100;
    private static final int GAP_STEPS = 3;

    private static List<String> slice() throws IOException {
        List<String> lines = Files.readAllLines(SparkTestContext.shippedData("etth1/ETTh1.csv"), StandardCharsets.UTF_8);
        return new ArrayList<>(lines.subList(0, ROWS + 1));
    }

    private static MessyTable table() {
        MessyTable t = new MessyTable();
        t.features = FEATURES;
        t.targets = List.of("OT");
        t.window = WINDOW;
        t.horizon = HORIZON;
        return t;
    }

    private static DatasetManifest run(PrepareConfig config, Path out) {
        return PrepareJob.run(sc, config, out.toString(), false, Map.of("timeseries", Map.of("frequency", "auto")));
    }

    /** The training examples of a prepared dataset, each as one text (features then labels), sorted. */
    private static List<String> exampleTexts(DatasetManifest m, Path out) {
        List<String> texts = new ArrayList<>();
        for (double[][] e : examples(out, m.split("train").files())) {
            texts.add(Arrays.toString(e[0]) + " -> " + Arrays.toString(e[1]));
        }
        texts.sort(null);
        return texts;
    }

    private static List<String> withGap(List<String> lines) {
        List<String> out = new ArrayList<>(lines);
        out.subList(GAP_FROM + 1, GAP_FROM + 1 + GAP_STEPS).clear();
        return out;
    }

    @Test
    void missingRowsAreMissingStepsAndFailByDefaultNamingTheGap(@TempDir Path dir) throws IOException {
        Path csv = write(dir, "gap.csv", withGap(slice()));
        InputDataException e = inputError(assertThrows(Exception.class,
                () -> run(table().config(csv), dir.resolve("out"))));
        String m = e.getMessage();
        // the row after the gap is hour 103, line 104 of the file with the gap (three lines removed: line 101)
        assertTrue(m.contains("gap.csv:" + (GAP_FROM + 2) + ": 3 missing step(s) of 1h"), m);
        assertTrue(m.contains("2016-07-05T03:00 ") && m.contains("2016-07-05T07:00"), m);
        assertTrue(m.contains("timeseries.missing"), m);
    }

    @Test
    void noWindowSpansAGapWhenItsWindowsAreDropped(@TempDir Path dir) throws IOException {
        List<String> lines = slice();
        MessyTable t = table();
        DatasetManifest complete = run(t.config(write(dir, "complete.csv", lines)), dir.resolve("complete"));
        t.missingDefault = Policy.DROP_WINDOWS;
        DatasetManifest gapped = run(t.config(write(dir, "gap.csv", withGap(lines))), dir.resolve("gapped"));

        List<String> all = exampleTexts(complete, dir.resolve("complete"));
        List<String> kept = exampleTexts(gapped, dir.resolve("gapped"));
        int span = WINDOW + HORIZON;
        assertEquals(ROWS - span + 1, all.size());
        // every window touching one of the three missing hours is gone, and only those
        assertEquals(all.size() - (span + GAP_STEPS - 1), kept.size());
        assertTrue(all.containsAll(kept), "a window of the gapped table is not a window of consecutive hours");
        assertEquals((long) span + GAP_STEPS - 1, gapped.counts().get("windowsDropped"));
        assertEquals((long) GAP_STEPS, gapped.counts().get("timeAxis.stepsInserted"));
        assertEquals(1L, gapped.counts().get("timeAxis.gaps"));
        assertEquals((long) GAP_STEPS, gapped.counts().get("timeAxis.longestGapSteps"));
        assertEquals(3600L, gapped.counts().get("timeAxis.stepSeconds"));
        assertEquals((long) ROWS - GAP_STEPS, gapped.counts().get("rowsRead"));
        assertEquals("1h", ((Map<?, ?>) gapped.settings().get("timeseries")).get("frequency"));
        assertEquals(0L, complete.counts().get("timeAxis.stepsInserted"));
    }

    @Test
    void missingStepsAreInterpolatedInTime(@TempDir Path dir) throws IOException {
        List<String> lines = slice();
        MessyTable t = table();
        t.missingDefault = Policy.INTERPOLATE;
        DatasetManifest m = run(t.config(write(dir, "gap.csv", withGap(lines))), dir.resolve("out"));
        assertEquals((long) ROWS - WINDOW - HORIZON + 1, m.counts().get("examples.train"));
        for (String column : FEATURES) assertEquals((long) GAP_STEPS, m.counts().get("filled." + column));
        // the window that starts at hour 99 sees hours 100-102 on the line from hour 99 to hour 103
        double[] before = values(lines.get(GAP_FROM));
        double[] after = values(lines.get(GAP_FROM + GAP_STEPS + 1));
        double[][] window = examples(dir.resolve("out"), m.split("train").files()).stream()
                .filter(e -> Math.abs(e[0][0] - before[0]) < 1e-5 && Math.abs(e[0][2 * WINDOW] - before[2]) < 1e-4)
                .findFirst().orElseThrow();
        for (int c = 0; c < FEATURES.size(); c++) {
            for (int k = 0; k <= GAP_STEPS + 1; k++) {
                double expected = before[c] + (after[c] - before[c]) * k / (GAP_STEPS + 1);
                assertEquals(expected, window[0][c * WINDOW + k], 1e-4, FEATURES.get(c) + " at hour 99 + " + k);
            }
        }
    }

    /** HUFL, MULL and OT of a data line. */
    private static double[] values(String line) {
        String[] f = line.split(",");
        return new double[]{Double.parseDouble(f[1]), Double.parseDouble(f[4]), Double.parseDouble(f[7])};
    }

    @Test
    void aTimestampOffTheGridNamesFileAndLine(@TempDir Path dir) throws IOException {
        List<String> lines = slice();
        lines.set(51, lines.get(51).replace(":00:00,", ":30:00,"));
        Path csv = write(dir, "shifted.csv", lines);
        InputDataException e = inputError(assertThrows(Exception.class,
                () -> run(table().config(csv), dir.resolve("out"))));
        assertTrue(e.getMessage().contains("shifted.csv:52: timestamp 2016-07-03T02:30 is not on the grid of 1h"),
                e.getMessage());
        MessyTable none = table();
        none.frequency = Frequency.NONE;
        DatasetManifest m = run(none.config(csv), dir.resolve("none"));
        assertEquals((long) ROWS - WINDOW - HORIZON + 1, m.counts().get("examples.train"));
    }

    /** The slice with hour 40 repeated: an exact copy after it, and a second copy with OT changed. */
    private static List<String> withDuplicates(List<String> lines) {
        List<String> out = new ArrayList<>(lines);
        String hour40 = lines.get(41);
        String[] f = hour40.split(",");
        f[7] = "100.0";
        out.add(42, hour40);
        out.add(43, String.join(",", f));
        return out;
    }

    @Test
    void duplicateTimestampsFailByDefaultAndAreResolvedByPolicy(@TempDir Path dir) throws IOException {
        List<String> lines = slice();
        Path csv = write(dir, "dup.csv", withDuplicates(lines));
        MessyTable t = table();
        InputDataException e = inputError(assertThrows(Exception.class, () -> run(t.config(csv), dir.resolve("f"))));
        assertTrue(e.getMessage().contains("dup.csv:43: duplicate timestamp 2016-07-02T16:00, also at "), e.getMessage());
        assertTrue(e.getMessage().contains("dup.csv:42 (timeseries.duplicates = "), e.getMessage());

        List<String> complete = exampleTexts(run(t.config(write(dir, "c.csv", lines)), dir.resolve("c")),
                dir.resolve("c"));
        t.duplicates = Duplicates.FIRST;
        DatasetManifest first = run(t.config(csv), dir.resolve("first"));
        assertEquals(complete, exampleTexts(first, dir.resolve("first")), "first keeps the original row");
        assertEquals(1L, first.counts().get("duplicates.timestamps"));
        assertEquals(2L, first.counts().get("duplicates.rowsMerged"));

        double ot = Double.parseDouble(lines.get(41).split(",")[7]);
        t.duplicates = Duplicates.LAST;
        assertEquals(100.0, otAtHour40(run(t.config(csv), dir.resolve("last")), dir.resolve("last"), lines), 1e-4);
        t.duplicates = Duplicates.MEAN;
        assertEquals((2 * ot + 100.0) / 3, otAtHour40(run(t.config(csv), dir.resolve("mean")), dir.resolve("mean"),
                lines), 1e-4);

        t.duplicates = Duplicates.QUARANTINE;
        t.missingDefault = Policy.INTERPOLATE;
        DatasetManifest q = run(t.config(csv), dir.resolve("q"));
        List<Rejection> rejected = rejected(dir.resolve("q"));
        assertEquals(List.of(42L, 43L, 44L), rejected.stream().map(Rejection::line).toList());
        assertTrue(rejected.get(2).reason().startsWith("duplicate timestamp 2016-07-02T16:00 (3 rows"),
                rejected.get(2).reason());
        assertEquals(withDuplicates(lines).get(43), rejected.get(2).text());
        assertEquals(3L, q.counts().get("duplicates.rowsQuarantined"));
        assertEquals(1L, q.counts().get("timeAxis.stepsInserted"), "the quarantined hour is a missing step");
        assertEquals(1L, q.counts().get("filled.OT"));
    }

    /** OT at hour 40 in the window that starts at hour 39 (whose first HUFL is hour 39's). */
    private static double otAtHour40(DatasetManifest m, Path out, List<String> lines) {
        double[] hour39 = values(lines.get(40));
        double[][] window = examples(out, m.split("train").files()).stream()
                .filter(e -> Math.abs(e[0][0] - hour39[0]) < 1e-5 && Math.abs(e[0][2 * WINDOW] - hour39[2]) < 1e-4)
                .findFirst().orElseThrow();
        return window[0][2 * WINDOW + 1];
    }

    @Test
    void rowsWithoutTimestampsAreConsecutiveStepsInFileOrder(@TempDir Path dir) throws IOException {
        List<String> lines = slice();
        MessyTable t = table();
        t.split = new SplitConfig(SplitConfig.Method.TIME, List.of(0.7, 0.1, 0.2), "", "", "");
        DatasetManifest dated = run(t.config(write(dir, "dated.csv", lines)), dir.resolve("dated"));

        // no header, no date column, split in two files that sort in row order
        List<String> bare = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) bare.add(line.substring(line.indexOf(',') + 1));
        Path bareDir = Files.createDirectories(dir.resolve("bare"));
        write(bareDir, "part-1.csv", bare.subList(0, 150));
        write(bareDir, "part-2.csv", bare.subList(150, bare.size()));
        MessyTable b = table();
        b.split = t.split;
        b.header = false;
        b.timestampColumn = "";
        b.features = List.of("_c0", "_c3", "_c6");
        b.targets = List.of("_c6");
        DatasetManifest rows = run(b.config(bareDir), dir.resolve("rows"));

        assertEquals(dated.splits().keySet(), rows.splits().keySet());
        for (String split : List.of("train", "validation", "test")) {
            assertEquals(dated.split(split).examples(), rows.split(split).examples(), split);
            for (int i = 0; i < dated.split(split).files().size(); i++) {
                assertTrue(Arrays.equals(Files.readAllBytes(dir.resolve("dated").resolve(dated.split(split).files().get(i))),
                        Files.readAllBytes(dir.resolve("rows").resolve(rows.split(split).files().get(i)))), split);
            }
        }
        assertTrue(Arrays.equals(dated.normalizer().mean(), rows.normalizer().mean()));
        assertTrue(rows.split("train").firstTime().endsWith("part-1.csv:1"), rows.split("train").firstTime());

        b.split = new SplitConfig(SplitConfig.Method.TIME, List.of(0.7, 0.1, 0.2), "2016-07-05 00:00:00",
                "2016-07-06 00:00:00", "");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.config(bareDir));
        assertTrue(e.getMessage().startsWith("split.trainEnd = \"2016-07-05 00:00:00\" is invalid"), e.getMessage());
    }

    /**
     * Counts made while examples are computed stay exact when Spark computes a partition twice (as it does for a
     * retried task or a lost executor's cached blocks): here the examples are simply computed twice.
     */
    @Test
    void countsStayExactWhenPartitionsAreComputedTwice(@TempDir Path dir) throws IOException {
        List<String> lines = slice();
        String[] f = lines.get(30).split(",");
        f[7] = "NA";
        lines.set(30, String.join(",", f));
        MessyTable t = table();
        t.missingDefault = Policy.DROP_WINDOWS;
        t.missingColumns.put("OT", Policy.INTERPOLATE);
        t.missingColumns.put("HUFL", Policy.DROP_WINDOWS);
        Path csv = write(dir, "na.csv", withGap(lines));
        PrepareConfig config = t.config(csv);
        PreparedExamples prepared = TimeSeriesPreparer.prepare(sc, config, InputFiles.list(csv.toString(),
                sc.hadoopConfiguration()));
        long examples = prepared.examples().count();
        Map<String, Long> once = new HashMap<>(prepared.deferredCounts().get());
        assertEquals(examples, prepared.examples().count());
        assertEquals(once, prepared.deferredCounts().get());
        assertEquals(1L + GAP_STEPS, once.get("filled.OT"));
        // HUFL and MULL are inputs only: windows with the gap in their horizon alone are kept (OT is filled)
        assertEquals((long) WINDOW + GAP_STEPS - 1, once.get("windowsDropped"));
        prepared.release();
    }
}
