package io.sparklstm.prep.timeseries;

import io.sparklstm.model.Task;
import io.sparklstm.model.data.Standardizer;
import io.sparklstm.prep.InputDataException;
import io.sparklstm.prep.Moments;
import io.sparklstm.prep.PreparedExamples;
import io.sparklstm.prep.config.PrepareConfig;
import io.sparklstm.prep.config.SplitConfig;
import io.sparklstm.prep.config.TimeSeriesConfig;
import io.sparklstm.prep.export.Example;
import io.sparklstm.prep.io.CsvFields;
import io.sparklstm.prep.io.InputFiles;
import io.sparklstm.prep.io.TextLine;
import io.sparklstm.prep.io.TextLines;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;
import scala.Tuple3;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prepares a time-series table for multi-horizon forecasting.
 *
 * <p>Rows are parsed (an unparsable row fails with its file, line and text), sorted by series and time and
 * numbered, assigned to a split by time, standardized with statistics of the training rows only, and cut
 * into windows of {@code windowSteps} input rows followed by {@code horizonSteps} target rows. A window
 * never spans two splits or two series. Windowing runs in parallel over chunks of {@code chunkRows} rows
 * that overlap by one window span, so one long series is not one task.
 */
public final class TimeSeriesPreparer {

    private TimeSeriesPreparer() {
    }

    public static PreparedExamples prepare(JavaSparkContext sc, PrepareConfig config, InputFiles files) {
        TimeSeriesConfig ts = config.timeseries();
        Configuration hadoop = sc.hadoopConfiguration();
        Columns columns = Columns.resolve(config, files, hadoop);
        int partitions = Math.max(2, sc.defaultParallelism());

        JavaRDD<TextLine> lines = TextLines.read(sc, files, config.input().encoding(), partitions);
        List<String> paths = files.paths();
        String pattern = ts.timestampFormat();
        char delimiter = config.input().delimiterChar();
        boolean header = config.input().header();
        JavaRDD<SeriesRow> rows = lines
                .filter(line -> !(header && line.number() == 1) && !line.isBlank())
                .mapPartitions(part -> parseRows(part, columns, pattern, delimiter));

        JavaRDD<Tuple2<Long, SeriesRow>> ordered = rows
                .mapToPair(r -> new Tuple2<>(new SeriesKey(r.entity(), r.time()), r))
                .sortByKey(true, partitions)
                .values()
                .zipWithIndex()
                .map(t -> new Tuple2<>(t._2(), t._1()));
        ordered.persist(StorageLevel.MEMORY_AND_DISK_SER());

        long rowCount = ordered.count();
        if (rowCount == 0) {
            throw new InputDataException("input.path " + files.pattern() + ": no data rows");
        }
        TimeSplit split = timeSplit(config.split(), pattern, rowCount);
        JavaRDD<IndexedRow> indexed = ordered.map(t -> new IndexedRow(t._1(), t._2(),
                split.of(t._2().time(), t._1())));

        Map<Integer, PreparedExamples.SplitRows> splitRows = splitRows(indexed);
        checkSplitsHoldWindows(splitRows, ts, config.split());

        Standardizer normalizer = config.normalize()
                ? fitNormalizer(indexed, columns.features())
                : Moments.identity(columns.features());

        int[] targetPositions = columns.targetPositions();
        JavaRDD<Example> examples = indexed
                .flatMapToPair(r -> chunksOf(r, ts).iterator())
                .groupByKey(partitions)
                .flatMap(chunk -> windows(chunk._1(), chunk._2(), ts, normalizer, targetPositions, paths).iterator());

        Map<String, Long> counts = new TreeMap<>();
        counts.put("rowsRead", rowCount);
        counts.put("rowsUnassigned", splitRows.containsKey(-1) ? splitRows.get(-1).rows() : 0L);
        return new PreparedExamples(examples, Task.FORECAST, columns.features(), columns.targets(), List.of(),
                ts.windowSteps(), ts.horizonSteps(), normalizer, withoutUnassigned(splitRows), counts);
    }

    /** A row with its position in series-then-time order and its split. */
    record IndexedRow(long index, SeriesRow row, int split) implements java.io.Serializable {
    }

    private static Iterator<SeriesRow> parseRows(Iterator<TextLine> lines, Columns columns, String pattern,
                                                 char delimiter) {
        Timestamps timestamps = new Timestamps(pattern);
        List<SeriesRow> out = new ArrayList<>();
        while (lines.hasNext()) {
            out.add(parseRow(lines.next(), columns, timestamps, delimiter));
        }
        return out.iterator();
    }

    static SeriesRow parseRow(TextLine line, Columns columns, Timestamps timestamps, char delimiter) {
        List<String> fields = CsvFields.split(line.text(), delimiter);
        if (fields.size() != columns.headerSize()) {
            throw InputDataException.atLine(line.file(), line.number(), "expected " + columns.headerSize()
                    + " fields, found " + fields.size(), line.text());
        }
        long time;
        String stamp = fields.get(columns.timestampIndex());
        try {
            time = timestamps.parse(stamp);
        } catch (java.time.DateTimeException e) {
            throw InputDataException.atLine(line.file(), line.number(), "column " + columns.timestampName()
                    + ": cannot parse timestamp '" + stamp + "'", line.text());
        }
        int[] featureIndexes = columns.featureIndexes();
        double[] values = new double[featureIndexes.length];
        for (int i = 0; i < featureIndexes.length; i++) {
            values[i] = line.finiteNumber(fields.get(featureIndexes[i]), "column " + columns.features().get(i));
        }
        return new SeriesRow("", time, values, line.fileIndex(), line.number());
    }

    private static TimeSplit timeSplit(SplitConfig split, String pattern, long rows) {
        if (split.byDates()) {
            Timestamps t = new Timestamps(pattern);
            long trainEnd = t.parseSetting("split.trainEnd", split.trainEnd(), pattern);
            long validationEnd = t.parseSetting("split.validationEnd", split.validationEnd(), pattern);
            long testEnd = split.testEnd().isEmpty() ? Long.MAX_VALUE
                    : t.parseSetting("split.testEnd", split.testEnd(), pattern);
            return TimeSplit.byDates(trainEnd, validationEnd, testEnd);
        }
        List<Double> f = split.fractions();
        return TimeSplit.byFractions(rows, f.get(0), f.get(1), f.get(2));
    }

    private static Map<Integer, PreparedExamples.SplitRows> splitRows(JavaRDD<IndexedRow> indexed) {
        Map<Integer, Tuple3<Long, Long, Long>> stats = indexed
                .mapToPair(r -> new Tuple2<>(r.split(), new Tuple3<>(1L, r.row().time(), r.row().time())))
                .reduceByKey((a, b) -> new Tuple3<>(a._1() + b._1(), Math.min(a._2(), b._2()), Math.max(a._3(), b._3())))
                .collectAsMap();
        Map<Integer, PreparedExamples.SplitRows> out = new TreeMap<>();
        stats.forEach((split, s) -> out.put(split,
                new PreparedExamples.SplitRows(s._1(), Timestamps.iso(s._2()), Timestamps.iso(s._3()))));
        return out;
    }

    private static Map<Integer, PreparedExamples.SplitRows> withoutUnassigned(Map<Integer, PreparedExamples.SplitRows> m) {
        Map<Integer, PreparedExamples.SplitRows> out = new TreeMap<>(m);
        out.remove(-1);
        return out;
    }

    private static void checkSplitsHoldWindows(Map<Integer, PreparedExamples.SplitRows> splitRows,
                                               TimeSeriesConfig ts, SplitConfig split) {
        PreparedExamples.SplitRows train = splitRows.get(0);
        if (train == null || train.rows() < ts.spanSteps()) {
            throw new InputDataException("the training split has " + (train == null ? 0 : train.rows())
                    + " rows, fewer than one window of " + ts.spanSteps() + " rows (timeseries.windowSteps + "
                    + "timeseries.horizonSteps); check split." + (split.byDates() ? "trainEnd" : "fractions")
                    + " against the data");
        }
    }

    private static Standardizer fitNormalizer(JavaRDD<IndexedRow> indexed, List<String> features) {
        int n = features.size();
        Moments moments = indexed
                .filter(r -> r.split() == 0)
                .treeAggregate(new Moments(n), (m, r) -> m.add(r.row().values()), Moments::merge);
        return moments.toStandardizer(features);
    }

    /** The chunk of a row, and the previous chunk too when the row lies within one span of its start. */
    static List<Tuple2<Long, IndexedRow>> chunksOf(IndexedRow row, TimeSeriesConfig ts) {
        long chunk = row.index() / ts.chunkRows();
        long offset = row.index() % ts.chunkRows();
        List<Tuple2<Long, IndexedRow>> out = new ArrayList<>(2);
        out.add(new Tuple2<>(chunk, row));
        if (chunk > 0 && offset < ts.spanSteps() - 1) {
            out.add(new Tuple2<>(chunk - 1, row));
        }
        return out;
    }

    /** The windows that start inside a chunk and end inside the same split and series. */
    static List<Example> windows(long chunk, Iterable<IndexedRow> chunkRows, TimeSeriesConfig ts,
                                 Standardizer normalizer, int[] targetPositions, List<String> paths) {
        List<IndexedRow> rows = new ArrayList<>();
        chunkRows.forEach(rows::add);
        rows.sort(java.util.Comparator.comparingLong(IndexedRow::index));
        for (int i = 1; i < rows.size(); i++) {
            SeriesRow a = rows.get(i - 1).row();
            SeriesRow b = rows.get(i).row();
            if (a.entity().equals(b.entity()) && a.time() == b.time()) {
                throw new InputDataException(paths.get(b.fileIndex()) + ":" + b.line() + ": duplicate timestamp "
                        + Timestamps.iso(b.time()) + (b.entity().isEmpty() ? "" : " in series " + b.entity())
                        + ", also at " + paths.get(a.fileIndex()) + ":" + a.line());
            }
        }
        int span = ts.spanSteps();
        int channels = normalizer.columns().size();
        long chunkStart = chunk * ts.chunkRows();
        long chunkEnd = chunkStart + ts.chunkRows();
        List<Example> out = new ArrayList<>();
        for (int i = 0; i + span <= rows.size(); i++) {
            IndexedRow first = rows.get(i);
            IndexedRow last = rows.get(i + span - 1);
            long start = first.index();
            if (start < chunkStart || start >= chunkEnd || start % ts.strideSteps() != 0) continue;
            if (first.split() < 0 || first.split() != last.split()) continue;
            if (!first.row().entity().equals(last.row().entity())) continue;
            out.add(window(rows, i, ts, normalizer, channels, targetPositions));
        }
        return out;
    }

    private static Example window(List<IndexedRow> rows, int from, TimeSeriesConfig ts, Standardizer normalizer,
                                  int channels, int[] targetPositions) {
        int steps = ts.windowSteps();
        float[] features = new float[channels * steps];
        for (int t = 0; t < steps; t++) {
            double[] values = rows.get(from + t).row().values();
            for (int c = 0; c < channels; c++) {
                features[c * steps + t] = (float) normalizer.transform(c, values[c]);
            }
        }
        int targets = targetPositions.length;
        float[] target = new float[ts.horizonSteps() * targets];
        double[] last = rows.get(from + steps - 1).row().values();
        boolean relative = ts.targetOffset() == TimeSeriesConfig.TargetOffset.LAST;
        for (int h = 0; h < ts.horizonSteps(); h++) {
            double[] values = rows.get(from + steps + h).row().values();
            for (int j = 0; j < targets; j++) {
                int c = targetPositions[j];
                double offset = relative ? normalizer.transform(c, last[c]) : 0.0;
                target[h * targets + j] = (float) (normalizer.transform(c, values[c]) - offset);
            }
        }
        IndexedRow first = rows.get(from);
        return new Example(first.split(), first.row().entity(), first.index(), steps, features, target, -1);
    }

    /** The header, and where the timestamp, feature and target columns are in it. */
    record Columns(List<String> header, int timestampIndex, List<String> features, int[] featureIndexes,
                   List<String> targets, int[] targetPositions) implements java.io.Serializable {

        int headerSize() {
            return header.size();
        }

        String timestampName() {
            return header.get(timestampIndex);
        }

        static Columns resolve(PrepareConfig config, InputFiles files, Configuration hadoop) {
            TimeSeriesConfig ts = config.timeseries();
            if (!config.input().header()) {
                throw new IllegalArgumentException("input.header = false is invalid: expected true for "
                        + "dataset.kind = timeseries (columns are named by the header line)");
            }
            Charset charset = Charset.forName(config.input().encoding());
            List<String> header = null;
            String headerFile = null;
            for (String file : files.paths()) {
                String line = InputFiles.firstLine(file, hadoop, charset).orElse(null);
                if (line == null) continue;
                List<String> names = CsvFields.split(line, config.input().delimiterChar());
                if (header == null) {
                    header = names;
                    headerFile = file;
                } else if (!header.equals(names)) {
                    throw new InputDataException(file + ":1: header " + names + " differs from the header of "
                            + headerFile + ": " + header);
                }
            }
            String first = headerFile;
            List<String> columns = header;
            int timestampIndex = indexIn(columns, ts.timestampColumn(), "timeseries.timestampColumn", first);
            List<String> features = new ArrayList<>();
            if (ts.featureColumns().isEmpty()) {
                for (String c : columns) if (!c.equals(ts.timestampColumn())) features.add(c);
            } else {
                features.addAll(ts.featureColumns());
            }
            int[] featureIndexes = new int[features.size()];
            for (int i = 0; i < features.size(); i++) {
                featureIndexes[i] = indexIn(columns, features.get(i), "timeseries.featureColumns", first);
            }
            List<String> targets = ts.targetColumns().isEmpty() ? List.copyOf(features) : ts.targetColumns();
            int[] targetPositions = new int[targets.size()];
            for (int j = 0; j < targets.size(); j++) {
                targetPositions[j] = features.indexOf(targets.get(j));
                if (targetPositions[j] < 0) {
                    throw new InputDataException(first + ": target column " + targets.get(j)
                            + " (timeseries.targetColumns) is not among the feature columns " + features);
                }
            }
            return new Columns(columns, timestampIndex, List.copyOf(features), featureIndexes,
                    List.copyOf(targets), targetPositions);
        }

        private static int indexIn(List<String> header, String column, String key, String file) {
            int i = header.indexOf(column);
            if (i < 0) {
                throw new InputDataException(file + ": no column '" + column + "' (" + key + "); the header has "
                        + header);
            }
            return i;
        }
    }

}
