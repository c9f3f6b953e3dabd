package io.sparklstm.prep.io;

import io.sparklstm.prep.InputDataException;
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
 * The lines of the input files as an RDD, each with its file and line number. Files are read in parallel
 * splits; {@code zipWithIndex} numbers lines without moving them to the driver.
 */
public final class TextLines {

    private TextLines() {
    }

    public static JavaRDD<TextLine> read(JavaSparkContext sc, InputFiles files, String encoding, int minPartitions) {
        List<String> paths = files.paths();
        JavaRDD<TextLine> all = null;
        for (int i = 0; i < paths.size(); i++) {
            JavaRDD<TextLine> lines = readFile(sc, paths.get(i), i, encoding, minPartitions);
            all = all == null ? lines : all.union(lines);
        }
        return all;
    }

    private static JavaRDD<TextLine> readFile(JavaSparkContext sc, String path, int fileIndex, String encoding,
                                              int minPartitions) {
        // Numbered before decoding, so that the job zipWithIndex runs to count each split's lines does not
        // decode them too. Hadoop reuses the Text object, but each is decoded before the next is read.
        return sc.hadoopFile(path, TextInputFormat.class, LongWritable.class, Text.class, minPartitions)
                .values()
                .zipWithIndex()
                .mapPartitions(part -> {
                    CharsetDecoder decoder = Charset.forName(encoding).newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT);
                    return new Iterator<TextLine>() {
                        @Override
                        public boolean hasNext() {
                            return part.hasNext();
                        }

                        @Override
                        public TextLine next() {
                            scala.Tuple2<Text, Long> pair = part.next();
                            long number = pair._2() + 1;
                            return new TextLine(fileIndex, path, number, decode(decoder, pair._1(), encoding, path,
                                    number));
                        }
                    };
                });
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

    static String stripLineEnd(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == '\r' || line.charAt(end - 1) == '\n')) {
            end--;
        }
        return line.substring(0, end);
    }
}
