package io.sparklstm.prep.timeseries;

import io.sparklstm.prep.SparkTestContext;
import io.sparklstm.prep.timeseries.TimeSeriesPreparer.IndexedRow;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Windowing in place must give exactly the windows of the whole ordered table, however the sort cut it into
 * partitions: partitions shorter than a window, windows reaching over several partitions, series boundaries.
 */
class OrderedSpansIT {

    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = SparkTestContext.start();
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    /** Series of the given lengths, one after the other, numbered from 0, hourly. */
    private static List<IndexedRow> table(int... lengths) {
        List<IndexedRow> rows = new ArrayList<>();
        for (int s = 0; s < lengths.length; s++) {
            for (int t = 0; t < lengths[s]; t++) {
                rows.add(new IndexedRow(rows.size(), new SeriesRow("e" + s, 3600L * t, new double[]{t}, new String[0],
                        0, rows.size() + 2), 0));
            }
        }
        return rows;
    }

    /** "entity@first-index" for spans inside one series. */
    private static String label(List<IndexedRow> rows, int from, int span) {
        IndexedRow first = rows.get(from);
        IndexedRow last = rows.get(from + span - 1);
        return first.row().entity().equals(last.row().entity()) ? first.row().entity() + "@" + first.index() : null;
    }

    private static List<String> wholeTable(List<IndexedRow> rows, int span) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i + span <= rows.size(); i++) {
            String l = label(rows, i, span);
            if (l != null) out.add(l);
        }
        return out;
    }

    private static List<String> inPlace(JavaRDD<IndexedRow> rdd, int span) {
        List<List<IndexedRow>> next = OrderedSpans.followers(rdd, span - 1);
        assertEquals(rdd.getNumPartitions(), next.size());
        List<String> paths = List.of("table.csv");
        return rdd.mapPartitionsWithIndex((p, it) -> OrderedSpans.slide(it, next.get(p), span, paths,
                (buffer, from) -> label(buffer, from, span)), true).collect();
    }

    @Test
    void everyPartitioningGivesTheWindowsOfTheWholeTable() {
        List<IndexedRow> rows = table(1, 40, 13, 6, 5, 30);
        for (int span : new int[]{1, 2, 6, 13}) {
            List<String> expected = wholeTable(rows, span);
            assertTrue(expected.size() > 40, "a test with windows in several series");
            for (int partitions : new int[]{1, 2, 7, 40, 95}) {
                JavaRDD<IndexedRow> rdd = sc.parallelize(rows, partitions);
                assertEquals(expected, inPlace(rdd, span), "span " + span + ", " + partitions + " partitions");
            }
        }
    }

    @Test
    void aLongPartitionIsReadWithABoundedBuffer() {
        List<IndexedRow> rows = table(10_000, 3);
        List<String> paths = List.of("table.csv");
        List<String> out = new ArrayList<>();
        OrderedSpans.slide(rows.iterator(), List.of(), 5, paths, (buffer, from) -> {
            assertTrue(buffer.size() <= 4096 + 1 + 5, "buffer of " + buffer.size() + " rows");
            return label(buffer, from, 5);
        }).forEachRemaining(out::add);
        assertEquals(wholeTable(rows, 5), out);
    }

    @Test
    void aTimestampRepeatedAcrossAPartitionBoundaryIsNamed() {
        List<IndexedRow> rows = table(20);
        // rows 9 and 10 (lines 11 and 12) of the one series get the same time; 2 partitions of 10 rows
        IndexedRow r = rows.get(10);
        rows.set(10, new IndexedRow(r.index(), new SeriesRow("e0", 3600L * 9, r.row().values(), new String[0], 0,
                r.row().line()), 0));
        Exception e = assertThrows(Exception.class, () -> inPlace(sc.parallelize(rows, 2), 3));
        String message = String.valueOf(e.getMessage());
        assertTrue(message.contains("table.csv:12: duplicate timestamp") && message.contains("also at table.csv:11"),
                message);
    }
}
