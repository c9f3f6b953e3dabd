package io.sparklstm.jobs.generate;

import io.sparklstm.prep.io.HadoopConf;
import io.sparklstm.prep.output.OutputDirectory;
import io.sparklstm.prep.output.OutputKind;
import io.sparklstm.prep.output.OutputRequest;
import io.sparklstm.prep.output.StagedWrite;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Serializable;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a synthetic time-series table as CSV files, in parallel on the executors: {@code rows} rows of a
 * timestamp, an optional entity id and {@code columns} numeric columns. Each entity's series is a daily and
 * a weekly cycle with its own phase and amplitude plus autoregressive noise, so that the table has the shape
 * and the learnable structure of real sensor data. Every file is a contiguous block of rows: a range of
 * entities, or with one entity a range of time. The same arguments give the same bytes.
 *
 * <p>Files are written under a hidden sibling directory renamed into place when all are complete ({@link
 * OutputRequest}), so a reader never mistakes a half-generated table for a whole one.
 */
public final class SyntheticTable {

    /** What to generate. */
    public record Spec(long rows, int entities, int columns, int files, long seed, String start, int stepMinutes)
            implements Serializable {
        public Spec {
            if (rows < 1) throw new IllegalArgumentException("--rows must be positive");
            if (entities < 1) throw new IllegalArgumentException("--entities must be positive");
            if (rows < entities) throw new IllegalArgumentException("--rows (" + rows + ") must be at least --entities ("
                    + entities + ")");
            if (columns < 1) throw new IllegalArgumentException("--columns must be positive");
            if (files < 1) throw new IllegalArgumentException("--files must be positive");
            if (stepMinutes < 1) throw new IllegalArgumentException("--step-minutes must be positive");
            LocalDateTime.parse(start);
        }

        /** Rows of entity {@code e}: the rows divided as evenly as they go. */
        long rowsOf(int e) {
            return rows / entities + (e < rows % entities ? 1 : 0);
        }

        /** The header line, shared by every file. */
        public String header() {
            StringBuilder h = new StringBuilder("date");
            if (entities > 1) h.append(",entity");
            for (int c = 0; c < columns; c++) h.append(",x").append(c);
            return h.toString();
        }
    }

    /** One file's share: rows {@code [firstRow, endRow)} of the concatenation of the entities in order. */
    record Part(int index, long firstRow, long endRow) implements Serializable {
    }

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private SyntheticTable() {
    }

    /** Generates the table into {@code dir} (refused if it exists unless {@code overwrite}); returns bytes written. */
    public static long write(JavaSparkContext sc, Spec spec, String dir, boolean overwrite) {
        OutputDirectory output = outputRequest(dir, overwrite).claim(sc.hadoopConfiguration());
        String staging = output.path();
        HadoopConf conf = new HadoopConf(sc.hadoopConfiguration());
        List<Part> parts = parts(spec);
        return StagedWrite.run(sc, output, () -> sc.parallelize(parts, parts.size())
                .map(part -> writePart(spec, part, staging, conf))
                .reduce(Long::sum));
    }

    /** What {@code generate} writes: a table, replacing only a generated table, staged beside until complete. */
    public static OutputRequest outputRequest(String dir, boolean overwrite) {
        return new OutputRequest(dir, OutputKind.GENERATED_TABLE, overwrite, OutputRequest.Placement.STAGED, Map.of());
    }

    static List<Part> parts(Spec spec) {
        int files = (int) Math.min(spec.files(), spec.rows());
        List<Part> parts = new ArrayList<>(files);
        for (int i = 0; i < files; i++) {
            parts.add(new Part(i, spec.rows() * i / files, spec.rows() * (i + 1) / files));
        }
        return parts;
    }

    private static String fileName(Part part) {
        return String.format("part-%05d.csv", part.index());
    }

    private static long writePart(Spec spec, Part part, String staging, HadoopConf conf) throws IOException {
        Path path = new Path(staging, fileName(part));
        FileSystem fs = path.getFileSystem(conf.get());
        long written;
        try (CountingWriter out = new CountingWriter(new BufferedWriter(
                new OutputStreamWriter(fs.create(path, true), StandardCharsets.UTF_8), 1 << 16))) {
            out.write(spec.header());
            out.write('\n');
            writeRows(spec, part, out);
            written = out.count;
        }
        return written;
    }

    /** The rows of {@code part}, walking the entities it overlaps. */
    static void writeRows(Spec spec, Part part, Writer out) throws IOException {
        long entityStart = 0;
        StringBuilder line = new StringBuilder(16 * (spec.columns() + 2));
        for (int e = 0; e < spec.entities() && entityStart < part.endRow(); e++) {
            long n = spec.rowsOf(e);
            long from = Math.max(part.firstRow(), entityStart);
            long to = Math.min(part.endRow(), entityStart + n);
            if (from < to) {
                Series series = new Series(spec, e);
                series.skipTo(from - entityStart);
                LocalDateTime time = LocalDateTime.parse(spec.start())
                        .plusMinutes((from - entityStart) * spec.stepMinutes());
                for (long t = from - entityStart; t < to - entityStart; t++) {
                    line.setLength(0);
                    line.append(FORMAT.format(time));
                    if (spec.entities() > 1) line.append(",e").append(e);
                    series.next(t, line);
                    line.append('\n');
                    out.append(line);
                    time = time.plusMinutes(spec.stepMinutes());
                }
            }
            entityStart += n;
        }
    }

    /**
     * One entity's values. The noise is an AR(1) process per column; to start a file in the middle of a series
     * without generating its beginning, the noise restarts at each block of {@link #BLOCK} steps from a seed
     * derived from (entity, block), so a row's values depend only on its entity and position.
     */
    static final class Series {
        static final long BLOCK = 4096;
        private final Spec spec;
        private final int entity;
        private final double[] level;
        private final double[] amplitude;
        private final double[] phase;
        private final double[] noise;
        private SplittableRandom random;

        Series(Spec spec, int entity) {
            this.spec = spec;
            this.entity = entity;
            int c = spec.columns();
            level = new double[c];
            amplitude = new double[c];
            phase = new double[c];
            noise = new double[c];
            SplittableRandom shape = new SplittableRandom(spec.seed() * 1_000_003L + entity);
            for (int j = 0; j < c; j++) {
                level[j] = shape.nextDouble(-50, 50);
                amplitude[j] = shape.nextDouble(1, 10);
                phase[j] = shape.nextDouble(0, 2 * Math.PI);
            }
        }

        /** Positions the noise just before step {@code t}, replaying the steps of its block before it. */
        void skipTo(long t) {
            startBlock(t / BLOCK);
            for (long s = t / BLOCK * BLOCK; s < t; s++) {
                if (s % BLOCK != 0) advanceNoise();
            }
        }

        private void advanceNoise() {
            for (int j = 0; j < noise.length; j++) noise[j] = 0.9 * noise[j] + 0.3 * random.nextGaussian();
        }

        private void startBlock(long block) {
            random = new SplittableRandom((spec.seed() * 31 + entity) * 1_000_000_007L + block);
            for (int j = 0; j < noise.length; j++) noise[j] = random.nextGaussian();
        }

        void next(long t, StringBuilder line) {
            if (t % BLOCK == 0) {
                startBlock(t / BLOCK);
            } else {
                advanceNoise();
            }
            double hours = t * spec.stepMinutes() / 60.0;
            for (int j = 0; j < noise.length; j++) {
                double daily = Math.sin(2 * Math.PI * hours / 24 + phase[j]);
                double weekly = 0.5 * Math.sin(2 * Math.PI * hours / 168 + 2 * phase[j]);
                double value = level[j] + amplitude[j] * (daily + weekly) + noise[j] + 0.1 * (j > 0 ? noise[j - 1] : 0);
                line.append(',');
                appendFixed3(line, value);
            }
        }
    }

    /** {@code value} with three decimals, without the cost of a general double formatter. */
    static void appendFixed3(StringBuilder out, double value) {
        long thousandths = Math.round(value * 1000);
        if (thousandths < 0) {
            out.append('-');
            thousandths = -thousandths;
        }
        out.append(thousandths / 1000).append('.');
        long frac = thousandths % 1000;
        if (frac < 100) out.append('0');
        if (frac < 10) out.append('0');
        out.append(frac);
    }

    /** Counts characters (the table is ASCII, so bytes). */
    private static final class CountingWriter extends Writer {
        private final Writer out;
        private long count;

        CountingWriter(Writer out) {
            this.out = out;
        }

        @Override
        public void write(char[] buf, int off, int len) throws IOException {
            out.write(buf, off, len);
            count += len;
        }

        @Override
        public void write(String s) throws IOException {
            out.write(s);
            count += s.length();
        }

        @Override
        public Writer append(CharSequence s) throws IOException {
            out.append(s);
            count += s.length();
            return this;
        }

        @Override
        public void write(int c) throws IOException {
            out.write(c);
            count++;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
