package io.sparklstm.prep.io;

import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.TextInputFormat;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.Iterator;
import java.util.List;

/**
 * The lines of the input files as an RDD, each with its file and line number, without moving lines to the
 * driver: files read whole are numbered from 1; split files from each split's count of lines (one job). A
 * UTF-8 byte-order mark at the start of a file is not part of its first line: Hadoop's line reader skips it.
 */
public final class TextLines {

    private TextLines() {
    }

    public static JavaRDD<TextLine> read(JavaSparkContext sc, InputFiles files, String encoding, int minPartitions) {
        List<String> paths = files.paths();
        // As many files as partitions wanted: each file is one partition, numbered from 1 without counting.
        // Fewer (one large file): files are split, and one job counts each split's lines first.
        boolean whole = paths.size() >= minPartitions;
        List<JavaRDD<Text>> parts = new java.util.ArrayList<>(paths.size());
        for (String path : paths) {
            parts.add(whole
                    ? sc.hadoopFile(path, Unsplit.class, LongWritable.class, Text.class, 1).values()
                    : sc.hadoopFile(path, TextInputFormat.class, LongWritable.class, Text.class, minPartitions).values());
        }
        // the union keeps the files' splits in order: file 0's first, then file 1's, ...
        int[] fileOf = new int[parts.stream().mapToInt(JavaRDD::getNumPartitions).sum()];
        for (int f = 0, p = 0; f < parts.size(); f++) {
            for (int k = 0; k < parts.get(f).getNumPartitions(); k++) fileOf[p++] = f;
        }
        JavaRDD<Text> all = parts.size() == 1 ? parts.get(0) : sc.union(parts.toArray(JavaRDD[]::new));
        long[] firstLine = whole ? ones(fileOf.length) : firstLines(all, fileOf);
        // Numbered before decoding: the job that counts each split's lines does not decode them.
        return all.mapPartitionsWithIndex((p, part) -> {
            String path = paths.get(fileOf[p]);
            CharsetDecoder decoder = Charset.forName(encoding).newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            return new Iterator<TextLine>() {
                private long number = firstLine[p];

                @Override
                public boolean hasNext() {
                    return part.hasNext();
                }

                @Override
                public TextLine next() {
                    // Hadoop reuses the Text object, but each is decoded before the next is read
                    Text text = part.next();
                    long n = number++;
                    return new TextLine(fileOf[p], path, n, decode(decoder, text, encoding, path, n));
                }
            };
        }, true);
    }

    /** Text input that reads each file whole, as one split. */
    public static final class Unsplit extends TextInputFormat {
        @Override
        protected boolean isSplitable(org.apache.hadoop.fs.FileSystem fs, org.apache.hadoop.fs.Path file) {
            return false;
        }
    }

    private static long[] ones(int n) {
        long[] out = new long[n];
        java.util.Arrays.fill(out, 1);
        return out;
    }

    /**
     * The 1-based number, within its file, of each split's first line: one job counts the lines of every split
     * of every file (one job per file, as {@code zipWithIndex} would run, cost more than the counting).
     */
    private static long[] firstLines(JavaRDD<Text> all, int[] fileOf) {
        List<Long> counts = InOrder.perPartition(all, (p, part) -> {
            long n = 0;
            while (part.hasNext()) {
                part.next();
                n++;
            }
            return n;
        });
        long[] first = new long[fileOf.length];
        for (int p = 0; p < fileOf.length; p++) {
            first[p] = p > 0 && fileOf[p - 1] == fileOf[p] ? first[p - 1] + counts.get(p - 1) : 1;
        }
        return first;
    }

    /**
     * A line's bytes as text. Bytes that are not valid in the encoding are an input error for every kind (and
     * never a quarantined record: the encoding is usually wrong for the whole file), naming the file and line.
     */
    private static String decode(CharsetDecoder decoder, Text text, String encoding, String path, long number) {
        try {
            String line = decoder.reset().decode(ByteBuffer.wrap(text.getBytes(), 0, text.getLength())).toString();
            return stripLineEnd(line);
        } catch (CharacterCodingException e) {
            throw InputDataException.atLine(path, number, "the line is not valid " + encoding
                    + " text (set input.encoding to the files' character set)", stripLineEnd(new String(text.getBytes(), 0, text.getLength(), decoder.charset())));
        }
    }

    /**
     * A file's first line without the byte-order mark that some tools (Excel's "CSV UTF-8", Notepad) write
     * before the text: it would otherwise become part of the first column's name or the first value. For
     * readers of the first line outside {@link #read}, which gets this from Hadoop.
     */
    public static String withoutByteOrderMark(String firstLine) {
        return firstLine.startsWith("\uFEFF") ? firstLine.substring(1) : firstLine;
    }

    static String stripLineEnd(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == '\r' || line.charAt(end - 1) == '\n')) {
            end--;
        }
        return line.substring(0, end);
    }
}
