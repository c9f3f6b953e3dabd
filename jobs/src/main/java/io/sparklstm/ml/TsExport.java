package io.sparklstm.ml;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * A DataFrame of labelled sequences written as sktime {@code .ts} files (one per non-empty partition, each with the
 * header), the input of {@code dataset.kind = ts}: variable-length multichannel cases, classes {@code 0 .. k-1} with
 * k one more than the largest label. {@code prepare} then reads them as it reads any {@code .ts} data.
 */
final class TsExport {

    /** What was written: the files as an {@code input.path} glob, the classes and channels found. */
    record Written(String pattern, int classes, int channels) {
    }

    private TsExport() {
    }

    static Written write(Dataset<?> data, String featuresCol, String labelCol, Path dir, Configuration conf,
                         String owner) {
        Dataset<Row> rows = data.select(col(featuresCol), col(labelCol).cast("double").as("label"));
        int classes = classes(rows, labelCol, owner);
        int channels = SequenceColumn.read(rows.first(), 0, featuresCol).channels();
        String header = header(channels, classes);
        JavaRDD<String> lines = rows.javaRDD().map(row -> line(row, featuresCol, channels));
        lines.mapPartitions(part -> withHeader(header, part)).saveAsTextFile(dir.toString());
        dropEmptyFiles(dir, conf);
        return new Written(new Path(dir, "part-*").toString(), classes, channels);
    }

    /**
     * The number of classes: one more than the largest label. Labels must be class indexes (whole numbers from 0),
     * at least two classes; checked on the driver before anything is written, as Spark's classifiers check them.
     */
    private static int classes(Dataset<Row> rows, String labelCol, String owner) {
        Column label = col("label");
        Row stats = rows.agg(count(lit(1)), min(label), max(label),
                sum(when(label.isNull().or(label.notEqual(floor(label))).or(label.lt(0)), 1).otherwise(0))).first();
        long n = stats.getLong(0);
        if (n == 0) throw new IllegalArgumentException(owner + ": the dataset has no rows to fit");
        if (stats.getLong(3) > 0) {
            throw new IllegalArgumentException(owner + ": labelCol '" + labelCol + "' has " + stats.getLong(3)
                    + " value(s) that are null or not a class index (a whole number from 0)");
        }
        double largest = stats.getDouble(2);
        if (largest < 1) {
            throw new IllegalArgumentException(owner + ": labelCol '" + labelCol + "' has one class (" + largest
                    + "); classification needs at least two");
        }
        if (largest >= 100_000) {
            throw new IllegalArgumentException(owner + ": labelCol '" + labelCol + "' has label " + largest
                    + "; labels are class indexes 0 .. k-1 (use StringIndexer)");
        }
        return (int) largest + 1;
    }

    static String header(int channels, int classes) {
        StringBuilder h = new StringBuilder();
        h.append("@problemName spark-ml\n@timeStamps false\n@missing false\n");
        h.append("@univariate ").append(channels == 1).append('\n');
        h.append("@dimensions ").append(channels).append('\n');
        h.append("@equalLength false\n@classLabel true");
        for (int k = 0; k < classes; k++) h.append(' ').append(k);
        h.append("\n@data");
        return h.toString();
    }

    /** A case line: each channel's values by step, channels separated by ':', then ':' and the class. */
    static String line(Row row, String featuresCol, int channels) {
        SequenceColumn.Sequence s = SequenceColumn.read(row, 0, featuresCol);
        if (s.channels() != channels) {
            throw new IllegalArgumentException(featuresCol + ": a sequence has " + s.channels() + " channels where "
                    + "the first row's has " + channels + "; every sequence must have the same channels");
        }
        StringBuilder out = new StringBuilder();
        double[] v = s.values();
        for (int c = 0; c < channels; c++) {
            for (int t = 0; t < s.steps(); t++) {
                if (t > 0) out.append(',');
                out.append(v[c * s.steps() + t]);
            }
            out.append(':');
        }
        return out.append((long) row.getDouble(1)).toString();
    }

    private static Iterator<String> withHeader(String header, Iterator<String> part) {
        if (!part.hasNext()) return Collections.emptyIterator();
        List<String> first = new ArrayList<>(List.of(header));
        return new Iterator<>() {
            private final Iterator<String> head = first.iterator();

            @Override
            public boolean hasNext() {
                return head.hasNext() || part.hasNext();
            }

            @Override
            public String next() {
                return head.hasNext() ? head.next() : part.next();
            }
        };
    }

    /** An empty partition leaves an empty file, which is not a {@code .ts} file: removed. */
    private static void dropEmptyFiles(Path dir, Configuration conf) {
        try {
            FileSystem fs = dir.getFileSystem(conf);
            for (FileStatus f : fs.listStatus(dir)) {
                if (f.isFile() && f.getLen() == 0) fs.delete(f.getPath(), false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
