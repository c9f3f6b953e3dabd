package io.sparklstm.prep.timeseries;

import io.sparklstm.prep.config.InputConfig;
import io.sparklstm.prep.io.CsvFields;
import io.sparklstm.prep.io.InputDataException;
import io.sparklstm.prep.io.InputFiles;
import io.sparklstm.prep.io.TextLines;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The rows of a time-series table as {@link RawRecord}s, from CSV text or Parquet files, each file read on
 * its own so that every record keeps its file and line (row) number. Column names come from the CSV header
 * lines or the Parquet schemas, read on the driver before any Spark stage; every file must have the same.
 */
final class TableInput {

    private final List<String> header;
    private final String firstFile;
    /** Parquet: each column's type; CSV: empty (its fields are text until parsed). */
    private final java.util.Map<String, DataType> types;

    private TableInput(List<String> header, String firstFile, java.util.Map<String, DataType> types) {
        this.header = header;
        this.firstFile = firstFile;
        this.types = types;
    }

    /**
     * Fails before any Spark stage when a Parquet column that is read as a number has a type that is not
     * numeric (a string, a timestamp): the file, the column and both types are named. CSV fields are checked
     * per row instead, when parsed.
     */
    void requireNumeric(List<String> columns) {
        for (String column : columns) {
            DataType type = types.get(column);
            if (type != null && !(type instanceof org.apache.spark.sql.types.NumericType)) {
                throw new InputDataException(firstFile + ": column '" + column + "' has type " + type.simpleString()
                        + ", but it is a numeric feature (a Parquet numeric type is expected: int, long, float, "
                        + "double or decimal)");
            }
        }
    }

    List<String> header() {
        return header;
    }

    String firstFile() {
        return firstFile;
    }

    /** The column names of the files, checked to be the same in every file. */
    static TableInput open(JavaSparkContext sc, InputConfig input, InputFiles files) {
        List<String> header = null;
        String headerFile = null;
        java.util.Map<String, DataType> types = new java.util.HashMap<>();
        for (String file : files.paths()) {
            List<String> names;
            if (input.format() == InputConfig.Format.PARQUET) {
                StructField[] fields = parquetSchema(sc, file);
                names = Arrays.stream(fields).map(StructField::name).toList();
                for (StructField f : fields) types.putIfAbsent(f.name(), f.dataType());
            } else {
                names = csvHeader(file, input, sc.hadoopConfiguration());
            }
            if (names == null) continue;
            if (header == null) {
                header = names;
                headerFile = file;
            } else if (!header.equals(names)) {
                throw new InputDataException(file + ": columns " + names + " differ from those of " + headerFile
                        + ": " + header);
            }
        }
        if (header == null) {
            throw new InputDataException("input.path " + files.pattern() + ": the input is empty (no header line)");
        }
        return new TableInput(List.copyOf(header), headerFile, types);
    }

    /**
     * The column names: the header line's, or without one ({@code input.header = false}) {@code _c0}, {@code _c1},
     * ... by position, as Spark names the columns of a CSV file without a header.
     */
    private static List<String> csvHeader(String file, InputConfig input, Configuration hadoop) {
        Charset charset = Charset.forName(input.encoding());
        return InputFiles.firstLine(file, hadoop, charset)
                .filter(line -> !line.isBlank())
                .map(line -> CsvFields.split(line, input.delimiterChar()))
                .map(fields -> input.header() ? fields : positionalNames(fields.size()))
                .orElse(null);
    }

    static List<String> positionalNames(int columns) {
        List<String> names = new ArrayList<>(columns);
        for (int i = 0; i < columns; i++) names.add("_c" + i);
        return names;
    }

    private static StructField[] parquetSchema(JavaSparkContext sc, String file) {
        try {
            return session(sc).read().parquet(file).schema().fields();
        } catch (RuntimeException e) {
            throw new InputDataException(file + ": cannot read as Parquet (input.format = \"parquet\"): "
                    + e.getMessage(), e);
        }
    }

    /** The data rows of every file, in file order. */
    JavaRDD<RawRecord> records(JavaSparkContext sc, InputConfig input, InputFiles files, String timestampFormat,
                               int partitions) {
        return input.format() == InputConfig.Format.PARQUET
                ? parquetRecords(sc, files, timestampFormat)
                : csvRecords(sc, input, files, partitions);
    }

    private static JavaRDD<RawRecord> csvRecords(JavaSparkContext sc, InputConfig input, InputFiles files,
                                                 int partitions) {
        char delimiter = input.delimiterChar();
        long firstData = input.header() ? 2 : 1;
        return TextLines.read(sc, files, input.encoding(), partitions)
                .filter(line -> line.number() >= firstData && !line.isBlank())
                .map(line -> new RawRecord(line.fileIndex(), line.file(), line.number(),
                        CsvFields.split(line.text(), delimiter), line.text()));
    }

    /**
     * Every column as text: timestamp and date columns formatted with {@code timestampFormat} (so they parse
     * as a CSV timestamp would), others cast to string; nulls stay null, which is missing.
     */
    private JavaRDD<RawRecord> parquetRecords(JavaSparkContext sc, InputFiles files, String timestampFormat) {
        SparkSession spark = session(sc);
        List<String> paths = files.paths();
        JavaRDD<RawRecord> all = null;
        for (int i = 0; i < paths.size(); i++) {
            String path = paths.get(i);
            int fileIndex = i;
            Dataset<Row> table = spark.read().parquet(path);
            List<Column> text = new ArrayList<>();
            for (StructField field : table.schema().fields()) {
                Column c = functions.col("`" + field.name() + "`");
                DataType type = field.dataType();
                boolean time = type.equals(DataTypes.TimestampType) || type.equals(DataTypes.DateType)
                        || type.equals(DataTypes.TimestampNTZType);
                text.add((time ? functions.date_format(c, timestampFormat) : c.cast(DataTypes.StringType))
                        .alias(field.name()));
            }
            JavaRDD<RawRecord> records = table.select(text.toArray(new Column[0])).javaRDD()
                    .zipWithIndex()
                    .map(t -> {
                        List<String> fields = new ArrayList<>(t._1().size());
                        for (int f = 0; f < t._1().size(); f++) fields.add(t._1().getString(f));
                        return new RawRecord(fileIndex, path, t._2() + 1, fields, String.join(",",
                                fields.stream().map(String::valueOf).toList()));
                    });
            all = all == null ? records : all.union(records);
        }
        return all;
    }

    private static SparkSession session(JavaSparkContext sc) {
        // Reuses the running SparkContext.
        return SparkSession.builder().config(sc.getConf()).getOrCreate();
    }
}
