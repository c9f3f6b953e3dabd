package io.sparklstm.prep.text;

import io.sparklstm.model.Task;
import io.sparklstm.prep.Moments;
import io.sparklstm.prep.PreparedExamples;
import io.sparklstm.prep.config.PrepareConfig;
import io.sparklstm.prep.config.TextConfig;
import io.sparklstm.prep.export.Example;
import io.sparklstm.prep.export.MinibatchWriter;
import io.sparklstm.prep.io.InputDataException;
import io.sparklstm.prep.io.InputFiles;
import io.sparklstm.prep.io.TextLine;
import io.sparklstm.prep.io.TextLines;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prepares character-level text for next-character prediction. The files are one text, in the input order;
 * lines are read in parallel and their line ends kept as {@code \n} ({@code \r\n} and {@code \r} become
 * {@code \n}; a file's last line gets one only if the file ends with one). Each line's position in the text
 * comes from per-partition character counts (one number per partition reaches the driver). The text is split
 * by position into contiguous train, validation and test blocks ({@code split.fractions}); the vocabulary is
 * the training block's characters; each block is cut into sequences (see {@link TextLayout}) that are put
 * together on the executors from the lines they span. A sequence's features are the one-hot characters
 * {@code [vocabulary, steps]}, its labels the class of the next character at every step.
 */
public final class TextPreparer {

    private static final Logger LOG = LoggerFactory.getLogger(TextPreparer.class);

    private TextPreparer() {
    }

    /** The types this kind's Spark stages cache and shuffle, for Kryo to register (see {@code SerializedTypes}). */
    public static java.util.List<Class<?>> serializedTypes() {
        return java.util.List.of(TextPiece.class, Segment.class, CharTally.class);
    }

    /** A run of characters of one sequence: where it starts in the text, and the characters. */
    record Segment(long start, int[] codePoints) implements Serializable {
    }

    public static PreparedExamples prepare(JavaSparkContext sc, PrepareConfig config, InputFiles files) {
        TextConfig text = config.text();
        String encoding = config.input().encoding();
        Configuration hadoop = sc.hadoopConfiguration();
        List<String> paths = files.paths();
        boolean[] endsWithNewline = new boolean[paths.size()];
        for (int i = 0; i < paths.size(); i++) endsWithNewline[i] = endsWithNewline(paths.get(i), hadoop, encoding);
        Map<Integer, Long> lastLine = lastLines(sc, files, encoding, endsWithNewline);

        int partitions = Math.max(2, sc.defaultParallelism());
        JavaRDD<TextLine> lines = TextLines.read(sc, files, encoding, partitions);
        lines.persist(StorageLevel.MEMORY_AND_DISK_SER());
        List<Long> perPartition = lines.mapPartitions(part -> {
            long n = 0;
            while (part.hasNext()) {
                TextLine l = part.next();
                n += codePoints(l, endsWithNewline, lastLine).length;
            }
            return List.of(n).iterator();
        }).collect();
        long[] offsets = new long[perPartition.size() + 1];
        for (int p = 0; p < perPartition.size(); p++) offsets[p + 1] = offsets[p] + perPartition.get(p);
        long length = offsets[perPartition.size()];
        JavaRDD<TextPiece> pieces = lines.mapPartitionsWithIndex((index, part) -> {
            List<TextPiece> out = new ArrayList<>();
            long start = offsets[index];
            while (part.hasNext()) {
                TextLine l = part.next();
                int[] cps = codePoints(l, endsWithNewline, lastLine);
                out.add(new TextPiece(l.fileIndex(), l.number(), start, cps));
                start += cps.length;
            }
            return out.iterator();
        }, true);
        pieces.persist(StorageLevel.MEMORY_AND_DISK_SER());
        lines.unpersist(false);

        TextLayout layout = new TextLayout(length, config.split().fractions(), text.sequenceSteps(), text.stride());
        CharTally tally = pieces.treeAggregate(new CharTally(layout), CharTally::add, CharTally::merge);
        if (layout.sequences(0) == 0) {
            throw new InputDataException(files.pattern() + ": the training block has " + layout.to(0)
                    + " characters of " + length + "; at least 2 are needed for one sequence (check split.fractions)");
        }
        boolean unknownClass = text.unseenCharacters() == TextConfig.UnseenCharacters.UNKNOWN;
        if (!unknownClass) {
            requireSeen(pieces, tally, layout, paths);
        }
        Vocabulary vocabulary = new Vocabulary(tally.trainingCharacters(), unknownClass);
        LOG.info("text: {} characters, vocabulary of {}, blocks [0, {}) [{}, {}) [{}, {})", length,
                vocabulary.size(), layout.to(0), layout.from(1), layout.to(1), layout.from(2), layout.to(2));

        JavaRDD<Example> examples = sequences(pieces, layout, vocabulary);
        List<String> names = vocabulary.names();
        Map<Integer, PreparedExamples.SplitRows> splitRows = new TreeMap<>();
        Map<String, Long> counts = new TreeMap<>();
        counts.put("characters", length);
        counts.put("vocabulary", (long) vocabulary.size());
        for (int s = 0; s < 3; s++) {
            String name = MinibatchWriter.SPLIT_NAMES.get(s);
            long chars = layout.to(s) - layout.from(s);
            if (chars > 0) splitRows.put(s, new PreparedExamples.SplitRows(chars, "", ""));
            counts.put("characters." + name, chars);
            counts.put("predictedCharacters." + name, layout.predicted(s));
            if (s > 0) counts.put("unseenCharacters." + name, tally.unseenIn(s));
        }
        counts.put("characters.unassigned", length - layout.to(2));
        return new PreparedExamples(examples, Task.STEP_CLASSIFICATION, names, List.of(), names,
                text.sequenceSteps(), 0, Moments.identity(names), splitRows, counts);
    }

    /** The sequences of every split, put together from the pieces they span. */
    static JavaRDD<Example> sequences(JavaRDD<TextPiece> pieces, TextLayout layout, Vocabulary vocabulary) {
        JavaPairRDD<Long, Segment> segments = pieces.flatMapToPair(piece -> segments(piece, layout).iterator());
        return segments.groupByKey().map(window -> toExample(window._1(), window._2(), layout, vocabulary));
    }

    /** The parts of a piece that each sequence reads or predicts, keyed by the sequence's start. */
    static List<Tuple2<Long, Segment>> segments(TextPiece piece, TextLayout layout) {
        List<Tuple2<Long, Segment>> out = new ArrayList<>(2);
        for (int s = 0; s < 3; s++) {
            long from = Math.max(piece.start(), layout.from(s));
            long to = Math.min(piece.end(), layout.to(s));
            if (from >= to || layout.sequences(s) == 0) continue;
            long first = layout.firstSequenceAt(s, from);
            long last = layout.lastSequenceAt(s, to - 1);
            for (long k = first; k <= last; k++) {
                long start = layout.start(s, k);
                long end = start + layout.steps(s, k) + 1;
                long a = Math.max(from, start);
                long b = Math.min(to, end);
                if (a >= b) continue;
                int[] cps = Arrays.copyOfRange(piece.codePoints(), (int) (a - piece.start()), (int) (b - piece.start()));
                out.add(new Tuple2<>(start, new Segment(a, cps)));
            }
        }
        return out;
    }

    static Example toExample(long start, Iterable<Segment> parts, TextLayout layout, Vocabulary vocabulary) {
        int split = layout.splitOf(start);
        int steps = layout.steps(split, layout.sequenceAt(split, start));
        int[] chars = new int[steps + 1];
        int filled = 0;
        for (Segment part : parts) {
            System.arraycopy(part.codePoints(), 0, chars, (int) (part.start() - start), part.codePoints().length);
            filled += part.codePoints().length;
        }
        if (filled != chars.length) {
            throw new IllegalStateException("sequence at character " + start + " was put together from " + filled
                    + " characters, expected " + chars.length);
        }
        int classes = vocabulary.size();
        float[] features = new float[classes * steps];
        float[] labels = new float[steps];
        for (int t = 0; t <= steps; t++) {
            int c = vocabulary.indexOf(chars[t]);
            if (c < 0) {
                throw new InputDataException("character " + describe(chars[t]) + " at position " + (start + t)
                        + " is not in the training vocabulary");
            }
            if (t < steps) features[c * steps + t] = 1f;
            if (t > 0) labels[t - 1] = c;
        }
        return new Example(split, "", start, steps, features, labels, -1);
    }

    /** Fails, naming the first place, when validation or test text holds a character the training text lacks. */
    private static void requireSeen(JavaRDD<TextPiece> pieces, CharTally tally, TextLayout layout, List<String> paths) {
        for (int s = 1; s < 3; s++) {
            int[] unseen = tally.unseenCharacters(s);
            if (unseen.length == 0) continue;
            int[] sorted = unseen.clone();
            long from = layout.from(s);
            TextPiece first = pieces.filter(p -> p.end() > from && Arrays.stream(p.codePoints())
                    .anyMatch(cp -> Arrays.binarySearch(sorted, cp) >= 0)).first();
            int cp = Arrays.stream(first.codePoints()).filter(c -> Arrays.binarySearch(sorted, c) >= 0)
                    .findFirst().orElseThrow();
            List<String> all = Arrays.stream(unseen).limit(10).mapToObj(TextPreparer::describe).toList();
            throw new InputDataException(paths.get(first.fileIndex()) + ":" + first.line() + ": character "
                    + describe(cp) + " is in the " + MinibatchWriter.SPLIT_NAMES.get(s)
                    + " split but not in the training split (" + unseen.length + " such character(s): " + all
                    + "); set text.unseenCharacters = \"unknown\" to give them a reserved class, or change split.fractions");
        }
    }

    static String describe(int codePoint) {
        String shown = Character.isISOControl(codePoint) || Character.isWhitespace(codePoint)
                ? "" : "'" + new String(Character.toChars(codePoint)) + "' ";
        return String.format(Locale.ROOT, "%s(U+%04X)", shown, codePoint);
    }

    private static int[] codePoints(TextLine line, boolean[] endsWithNewline, Map<Integer, Long> lastLine) {
        boolean newline = endsWithNewline[line.fileIndex()]
                || line.number() != lastLine.getOrDefault(line.fileIndex(), -1L);
        String text = newline ? line.text() + "\n" : line.text();
        return text.codePoints().toArray();
    }

    /** The last line number of each file that does not end with a line end (only they need it). */
    private static Map<Integer, Long> lastLines(JavaSparkContext sc, InputFiles files, String encoding,
                                                boolean[] endsWithNewline) {
        boolean all = true;
        for (boolean b : endsWithNewline) all &= b;
        if (all) return Map.of();
        Map<Integer, Long> out = new TreeMap<>(TextLines.read(sc, files, encoding, Math.max(2, sc.defaultParallelism()))
                .filter(l -> !endsWithNewline[l.fileIndex()])
                .mapToPair(l -> new Tuple2<>(l.fileIndex(), l.number()))
                .reduceByKey(Math::max)
                .collectAsMap());
        return out;
    }

    /** Whether the file's last character is a line end, read from its last bytes. */
    static boolean endsWithNewline(String file, Configuration conf, String encoding) {
        Path path = new Path(file);
        try {
            FileSystem fs = path.getFileSystem(conf);
            long len = fs.getFileStatus(path).getLen();
            if (len == 0) return true;
            int tail = (int) Math.min(len, 8);
            byte[] bytes = new byte[tail];
            try (FSDataInputStream in = fs.open(path)) {
                in.readFully(len - tail, bytes);
            }
            Charset charset = Charset.forName(encoding);
            for (String end : List.of("\n", "\r")) {
                ByteBuffer encoded = charset.newEncoder().encode(CharBuffer.wrap(end));
                byte[] e = new byte[encoded.remaining()];
                encoded.get(e);
                if (e.length <= tail && Arrays.equals(Arrays.copyOfRange(bytes, tail - e.length, tail), e)) return true;
            }
            return false;
        } catch (CharacterCodingException e) {
            throw new InputDataException(file + ": input.encoding " + encoding + " cannot encode a line end", e);
        } catch (IOException e) {
            throw new InputDataException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
