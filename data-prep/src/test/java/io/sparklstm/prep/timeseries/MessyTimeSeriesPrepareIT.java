package io.sparklstm.prep.timeseries;

import io.sparklstm.model.data.DatasetManifest;
import io.sparklstm.prep.SparkPrepareIT;
import io.sparklstm.prep.config.InputConfig;
import io.sparklstm.prep.config.MissingConfig.Policy;
import io.sparklstm.prep.config.PrepareConfig;
import io.sparklstm.prep.config.SplitConfig;
import io.sparklstm.prep.config.TimeSeriesConfig;
import io.sparklstm.prep.io.InputDataException;
import io.sparklstm.prep.job.PrepareJob;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static io.sparklstm.prep.timeseries.MessyTable.examples;
import static io.sparklstm.prep.timeseries.MessyTable.stations;
import static io.sparklstm.prep.timeseries.MessyTable.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prepares small generated tables with several series, gaps, text columns and bad rows, with a real Spark. */
class MessyTimeSeriesPrepareIT extends SparkPrepareIT {

    private static DatasetManifest run(PrepareConfig config, Path out) {
        return PrepareJob.run(sc, config, out.toString(), false, Map.of());
    }

    /** Station number of every input step and label of an example, checking they are consecutive hours. */
    private static int stationOf(double[][] example, int steps) {
        int station = (int) (example[0][0] / 1000);
        for (int t = 0; t < steps; t++) {
            assertEquals(example[0][0] + t, example[0][t], 1e-3, "consecutive hours of one series");
        }
        assertEquals(example[0][0] + steps, example[1][0], 1e-3, "the label is the next hour of the same series");
        return station;
    }

    @Test
    void entityWindowsNeverMixEntitiesAndEntitySplitKeepsEachEntityInOneSplit(@TempDir Path dir) throws IOException {
        List<String> lines = stations(5, 60);
        List<String> rows = new ArrayList<>(lines.subList(1, lines.size()));
        Collections.shuffle(rows, new java.util.Random(3));
        rows.add(0, lines.get(0));
        MessyTable t = new MessyTable();
        t.entityColumn = "station";
        t.split = new SplitConfig(SplitConfig.Method.ENTITY, List.of(0.6, 0.2, 0.2), "", "", "");
        Path out = dir.resolve("out");
        DatasetManifest m = run(t.config(write(dir, "stations.csv", rows)), out);

        Map<String, Set<Integer>> stationsBySplit = new TreeMap<>();
        for (String split : List.of("train", "validation", "test")) {
            Set<Integer> seen = new HashSet<>();
            for (double[][] e : examples(out, m.split(split).files())) seen.add(stationOf(e, 5));
            stationsBySplit.put(split, seen);
        }
        assertEquals(3, stationsBySplit.get("train").size(), stationsBySplit.toString());
        assertEquals(1, stationsBySplit.get("validation").size(), stationsBySplit.toString());
        assertEquals(1, stationsBySplit.get("test").size(), stationsBySplit.toString());
        Set<Integer> all = new HashSet<>();
        stationsBySplit.values().forEach(all::addAll);
        assertEquals(Set.of(0, 1, 2, 3, 4), all, "each station in exactly one split");
        assertEquals(5 * (60 - 6 + 1), m.split("train").examples() + m.split("validation").examples()
                + m.split("test").examples());
        assertEquals(5L, m.counts().get("entities"));
    }

    @Test
    void vocabularyAndNormalizerComeFromTheTrainingSplitOnly(@TempDir Path dir) throws IOException {
        List<String> lines = stations(1, 100);
        lines.set(1 + 10, lines.get(1 + 10).replace(",10,", ",NA,"));
        lines.set(1 + 90, lines.get(1 + 90).replace(",N", ",E"));
        Path csv = write(dir, "one.csv", lines);
        MessyTable t = new MessyTable();
        t.categorical = List.of("wind");
        t.normalize = true;
        t.missingDefault = Policy.DROP_WINDOWS;
        t.unseen = TimeSeriesConfig.UnseenCategory.ZERO;
        t.split = new SplitConfig(SplitConfig.Method.TIME, List.of(0.6, 0.2, 0.2), "", "", "");
        DatasetManifest m = run(t.config(csv), dir.resolve("zero"));

        assertEquals(Map.of("wind", List.of("N", "S")), m.categories());
        assertEquals(List.of("value", "wind=N", "wind=S"), m.featureNames());
        assertEquals(1L, m.counts().get("unseenCategories"));
        double sum = 0, sq = 0;
        int n = 0;
        for (int r = 0; r < 60; r++) {
            if (r == 10) continue;
            sum += r;
            sq += (double) r * r;
            n++;
        }
        double mean = sum / n;
        assertEquals(mean, m.normalizer().mean()[0], 1e-9, "present training values only");
        assertEquals(Math.sqrt(sq / n - mean * mean), m.normalizer().std()[0], 1e-9);
        assertArrayEquals(new double[]{0, 0}, new double[]{m.normalizer().mean()[1], m.normalizer().mean()[2]},
                "one-hot channels are not standardized");
        assertEquals(1L, m.counts().get("missing.value"));
        assertEquals(6L, m.counts().get("windowsDropped"));

        t.unseen = TimeSeriesConfig.UnseenCategory.ERROR;
        Exception e = assertThrows(Exception.class, () -> run(t.config(csv), dir.resolve("error")));
        String message = inputError(e).getMessage();
        assertTrue(message.contains("one.csv:92: column wind: value 'E' does not occur in the training split"), message);
    }

    /** Hours 0..119 with value = hour; value missing at hour 0 and hours 30..89 (NA, or the -9999 sentinel). */
    private static Path gappy(Path dir) throws IOException {
        List<String> lines = stations(1, 120);
        lines.set(1, lines.get(1).replace(",0,", ",NA,"));
        for (int r = 30; r < 90; r++) {
            lines.set(1 + r, lines.get(1 + r).replace("," + r + ",", r % 2 == 0 ? ",-9999," : ",,"));
        }
        return write(dir, "gappy.csv", lines);
    }

    /**
     * The 60-hour gap spans the boundary of the two sorted partitions: every window must still hold consecutive
     * hours exactly (stationOf checks each one).
     */
    @Test
    void interpolationAcrossPartitionBoundariesIsExact(@TempDir Path dir) throws IOException {
        Path csv = gappy(dir);
        MessyTable t = new MessyTable();
        t.missingDefault = Policy.DROP_WINDOWS;
        t.missingColumns = Map.of("value", Policy.INTERPOLATE);
        Path small = dir.resolve("small");
        DatasetManifest m = run(t.config(csv), small);
        List<double[][]> windows = examples(small, m.split("train").files());
        assertEquals(115 - 1, windows.size(), "only the window touching the leading gap is dropped");
        for (double[][] w : windows) stationOf(w, 5);
        assertEquals(61L, m.counts().get("missing.value"));
        assertEquals(60L, m.counts().get("filled.value"));
        assertEquals(1L, m.counts().get("windowsDropped"));
    }

    @Test
    void forwardFillAndDropWindowsCountWhatTheyDo(@TempDir Path dir) throws IOException {
        Path csv = gappy(dir);
        MessyTable t = new MessyTable();
        t.missingDefault = Policy.FFILL;
        Path ffill = dir.resolve("ffill");
        DatasetManifest f = run(t.config(csv), ffill);
        assertEquals(114, f.split("train").examples());
        assertEquals(60L, f.counts().get("filled.value"));
        // hours 30..89 hold the value of hour 29: the windows starting at 29..85 see nothing else
        long flat = examples(ffill, f.split("train").files()).stream()
                .filter(w -> java.util.Arrays.stream(w[0]).allMatch(v -> v == 29)).count();
        assertEquals(85 - 29 + 1, flat);

        t.missingDefault = Policy.DROP_WINDOWS;
        DatasetManifest d = run(t.config(csv), dir.resolve("drop"));
        // of the 115 windows, those starting at 0 or in 25..89 touch a missing value
        assertEquals(66L, d.counts().get("windowsDropped"));
        assertEquals(115 - 66, d.split("train").examples());
        assertEquals(0L, d.counts().get("filled.value"));

        t.missingDefault = Policy.FAIL;
        Exception e = assertThrows(Exception.class, () -> run(t.config(csv), dir.resolve("fail")));
        String message = inputError(e).getMessage();
        assertTrue(message.matches("(?s)^.*gappy\\.csv:[0-9]+: column value: missing value '(NA|-9999|)'.*"), message);
    }

    private static List<String> withBadRows() {
        List<String> lines = stations(1, 50);
        lines.set(10, lines.get(10) + ",extra");
        lines.set(20, lines.get(20).replaceFirst(",[0-9]+,", ",x1,"));
        lines.set(30, lines.get(30).replace("2020-01-", "2020-13-"));
        return lines;
    }

    @Test
    void parquetInputGivesTheSameWindowsAsTheSameCsv(@TempDir Path dir) throws IOException {
        List<String> lines = stations(2, 40);
        lines.set(5, lines.get(5).replace(",4,", ",NA,"));
        Path csv = write(dir, "two.csv", lines);
        SparkSession spark = SparkSession.builder().config(sc.getConf()).getOrCreate();
        Path parquet = dir.resolve("two.parquet");
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            rows.add(RowFactory.create(f[0], java.sql.Timestamp.valueOf(f[1]),
                    f[2].equals("NA") ? null : Double.valueOf(f[2]), f[3]));
        }
        StructType schema = new StructType()
                .add("station", DataTypes.StringType)
                .add("date", DataTypes.TimestampType)
                .add("value", DataTypes.DoubleType)
                .add("wind", DataTypes.StringType);
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(parquet.toString());

        MessyTable t = new MessyTable();
        t.entityColumn = "station";
        t.categorical = List.of("wind");
        t.missingDefault = Policy.INTERPOLATE;
        t.normalize = true;
        t.split = new SplitConfig(SplitConfig.Method.TIME, List.of(0.5, 0.25, 0.25), "", "", "");
        DatasetManifest fromCsv = run(t.config(csv), dir.resolve("csv"));
        t.format = InputConfig.Format.PARQUET;
        DatasetManifest fromParquet = run(t.config(parquet), dir.resolve("parquet"));

        assertEquals(fromCsv.splits(), fromParquet.splits());
        assertEquals(fromCsv.counts(), fromParquet.counts());
        assertEquals(1L, fromParquet.counts().get("filled.value"));
        for (String split : List.of("train", "validation", "test")) {
            for (String f : fromCsv.split(split).files()) {
                assertArrayEquals(Files.readAllBytes(dir.resolve("csv").resolve(f)),
                        Files.readAllBytes(dir.resolve("parquet").resolve(f)), f);
            }
        }
    }

    /**
     * One table with three series, gaps, a missing category and three malformed rows, prepared twice: the
     * malformed rows are quarantined with their reasons and counted, and every file is the same both times.
     */
    @Test
    void quarantinedRecordsAreWrittenWithReasonsAndRerunsAreByteIdentical(@TempDir Path dir) throws IOException {
        List<String> lines = withBadRows();
        lines.addAll(stations(3, 50).subList(51, 151));
        lines.set(71, lines.get(71).replace(",N", ",NA"));
        lines.set(80, lines.get(80).replaceFirst(",[0-9]+,", ",NA,"));
        Path csv = write(dir, "rich.csv", lines);
        MessyTable t = new MessyTable();
        t.entityColumn = "station";
        t.categorical = List.of("wind");
        t.missingDefault = Policy.INTERPOLATE;
        t.onBadRecord = InputConfig.BadRecords.QUARANTINE;
        t.normalize = true;
        t.split = new SplitConfig(SplitConfig.Method.TIME, List.of(0.6, 0.2, 0.2), "", "", "");
        DatasetManifest m = run(t.config(csv), dir.resolve("a"));
        run(t.config(csv), dir.resolve("b"));

        assertEquals(3L, m.counts().get("rejectedRecords"));
        assertEquals(147L, m.counts().get("rowsRead"));
        // each quarantined row leaves a missing step on the hourly axis, interpolated like the one missing value
        assertEquals(3L, m.counts().get("timeAxis.stepsInserted"));
        assertEquals(3L, m.counts().get("timeAxis.gaps"));
        assertEquals(4L, m.counts().get("filled.value"));
        List<String> rejected = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir.resolve("a").resolve(PrepareJob.REJECTED_DIR))) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
                rejected.addAll(Files.readAllLines(p, StandardCharsets.UTF_8));
            }
        }
        assertEquals(3, rejected.size(), rejected.toString());
        assertTrue(rejected.get(0).contains("\"line\":11,\"reason\":\"expected 4 fields, found 5\""), rejected.get(0));
        assertTrue(rejected.get(1).contains("\"line\":21,\"reason\":\"column value: 'x1' is not a finite number\""),
                rejected.get(1));
        assertTrue(rejected.get(2).contains("\"line\":31,\"reason\":\"column date: cannot parse timestamp"),
                rejected.get(2));
        assertTrue(rejected.get(0).contains("rich.csv"), rejected.get(0));

        Map<String, byte[]> a = contents(dir.resolve("a"));
        Map<String, byte[]> b = contents(dir.resolve("b"));
        assertEquals(a.keySet(), b.keySet());
        assertTrue(a.containsKey(DatasetManifest.FILE_NAME) && a.keySet().stream().anyMatch(k -> k.startsWith("rejected/")),
                a.keySet().toString());
        for (String name : a.keySet()) {
            assertArrayEquals(a.get(name), b.get(name), name);
        }
    }

    @Test
    void aMalformedRowFailsNamingFileLineAndText(@TempDir Path dir) throws IOException {
        Path csv = write(dir, "bad.csv", withBadRows());
        MessyTable t = new MessyTable();
        Exception e = assertThrows(Exception.class, () -> run(t.config(csv), dir.resolve("fail")));
        String message = inputError(e).getMessage();
        assertTrue(message.matches("(?s).*bad\\.csv:(11|21|31): .* in: .*"), message);
        assertFalse(Files.exists(dir.resolve("fail").resolve(DatasetManifest.FILE_NAME)));
    }

    /** Every file under a directory but the run's creation record, by relative path. */
    private static Map<String, byte[]> contents(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                String name = root.relativize(p).toString();
                if (name.contains(PrepareJob.INFO_FILE_NAME)) continue;
                out.put(name, Files.readAllBytes(p));
            }
        }
        return out;
    }

    @Test
    void aSeriesShorterThanOneWindowIsNamed(@TempDir Path dir) throws IOException {
        List<String> lines = stations(2, 30);
        lines.add("tiny," + MessyTable.date(0) + ",1,N");
        lines.add("tiny," + MessyTable.date(1) + ",2,N");
        MessyTable t = new MessyTable();
        t.entityColumn = "station";
        InputDataException e = assertThrows(InputDataException.class,
                () -> run(t.config(write(dir, "short.csv", lines)), dir.resolve("o")));
        assertTrue(e.getMessage().contains("[tiny (2 rows)]: fewer than one window of 6 rows"), e.getMessage());
    }

    @Test
    void aHeaderNotValidInTheEncodingSuggestsInputEncoding(@TempDir Path dir) throws IOException {
        List<String> lines = stations(1, 20);
        lines.set(0, "station,date,value,temp\u00e9rature");
        Path csv = dir.resolve("latin1.csv");
        Files.write(csv, lines, StandardCharsets.ISO_8859_1);
        MessyTable t = new MessyTable();
        long jobsBefore = sc.sc().statusTracker().getJobIdsForGroup(null).length;
        InputDataException e = assertThrows(InputDataException.class, () -> run(t.config(csv), dir.resolve("utf8")));
        assertTrue(e.getMessage().contains("latin1.csv:1: the header is not valid UTF-8 (set input.encoding"),
                e.getMessage());
        assertEquals(jobsBefore, sc.sc().statusTracker().getJobIdsForGroup(null).length, "no Spark job ran");

        t.encoding = "ISO-8859-1";
        t.categorical = List.of("temp\u00e9rature");
        DatasetManifest m = run(t.config(csv), dir.resolve("latin1"));
        assertEquals(List.of("value", "temp\u00e9rature=N", "temp\u00e9rature=S"), m.featureNames());
        assertFalse(m.counts().containsKey("rejectedRecords"));
    }
}
