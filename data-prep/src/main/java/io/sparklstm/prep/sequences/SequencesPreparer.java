package io.sparklstm.prep.sequences;

import io.sparklstm.model.Task;
import io.sparklstm.model.data.Standardizer;
import io.sparklstm.prep.LabelledSequence;
import io.sparklstm.prep.ParsedLine;
import io.sparklstm.prep.PreparedExamples;
import io.sparklstm.prep.Rejection;
import io.sparklstm.prep.SequenceInputs;
import io.sparklstm.prep.config.InvalidSettingsException;
import io.sparklstm.prep.config.PrepareConfig;
import io.sparklstm.prep.config.SequencesConfig;
import io.sparklstm.prep.config.SplitConfig;
import io.sparklstm.prep.export.Example;
import io.sparklstm.prep.export.Hashing;
import io.sparklstm.prep.io.InputDataException;
import io.sparklstm.prep.io.InputFiles;
import io.sparklstm.prep.io.TextLine;
import io.sparklstm.prep.io.TextLines;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Prepares labelled sequences, one per line, for sequence classification: every line is parsed, labelled, put
 * in a split by a seeded hash of its file and line, made the network's inputs ({@link SequenceInputs}: its own
 * transform and statistics, when configured) and standardized per input channel with statistics of the training
 * split. A malformed line (and, since the kind expects one fixed length, a line whose length is not
 * the others') fails with its file, line and text, or with {@code input.onBadRecord = quarantine} goes to
 * {@code rejected/} with its reason; quarantined lines are in no count but {@code rejectedRecords}.
 */
public final class SequencesPreparer {

    private SequencesPreparer() {
    }

    /** The types this kind's Spark stages cache and shuffle, for Kryo to register (see {@code SerializedTypes}). */
    public static java.util.List<Class<?>> serializedTypes() {
        return java.util.List.of(Sequence.class, LineShape.class);
    }

    /** A parsed line: its place, label, split, values (channel-major) and steps. */
    record Sequence(int fileIndex, long line, int label, int split, double[] values, int steps)
            implements LabelledSequence, Serializable {
    }

    /**
     * Row-block labels number the lines of each file from its first: with several files, every file would start
     * again at class 0 and a file split in parts would be labelled wrong without a word, so they need one file.
     */
    static void requireOneFileForRowBlocks(SequencesConfig seq, InputFiles files) {
        if (seq.label() == SequencesConfig.Label.ROW_BLOCK && files.paths().size() > 1) {
            throw new InvalidSettingsException("sequences.label = \"row_block\" is invalid for input.path = \""
                    + files.pattern() + "\", which matches " + files.paths().size() + " files: row blocks are "
                    + "counted from each file's first line, so they need the data in one file (or a label field: "
                    + "first_field or last_field)");
        }
    }

    public static PreparedExamples prepare(JavaSparkContext sc, PrepareConfig config, InputFiles files) {
        if (config.sequences().label() == SequencesConfig.Label.NONE) {
            throw new InvalidSettingsException("sequences.label = \"none\" is invalid for prepare: training needs "
                    + "labels (row_block, first_field or last_field); none is for scoring unlabelled data");
        }
        SequencesConfig seq = config.sequences();
        requireOneFileForRowBlocks(seq, files);
        int partitions = Math.max(2, sc.defaultParallelism());
        boolean quarantine = config.input().quarantine();
        JavaRDD<TextLine> lines = dataLines(sc, config, files, partitions);
        JavaRDD<ParsedLine<Sequence>> parsed = parse(lines, config);
        JavaRDD<Sequence> wellFormed = quarantine
                ? parsed.filter(ParsedLine::ok).map(ParsedLine::value)
                : parsed.map(ParsedLine::orFail);
        wellFormed.persist(StorageLevel.MEMORY_AND_DISK_SER());

        int steps;
        JavaRDD<Sequence> sequences;
        Optional<JavaRDD<String>> rejected = Optional.empty();
        List<JavaRDD<?>> persisted = new ArrayList<>(List.of(wellFormed));
        if (quarantine) {
            steps = commonLength(wellFormed.map(Sequence::steps).countByValue(), files);
            sequences = wellFormed.filter(s -> s.steps() == steps);
            JavaRDD<String> json = rejections(lines, config, steps).map(Rejection::toJson);
            json.persist(StorageLevel.MEMORY_AND_DISK_SER());
            persisted.add(json);
            rejected = Optional.of(json);
        } else {
            sequences = wellFormed;
            LineShape shape = sequences
                    .map(s -> new LineShape(s.steps(), s.steps()))
                    .fold(LineShape.NONE, LineShape::merge);
            if (shape.maxSteps() == 0) {
                throw new InputDataException("input.path " + files.pattern() + ": no data lines (the input is "
                        + (config.input().header() ? "only header lines with input.header = true" : "blank lines")
                        + ")");
            }
            List<String> paths = files.paths();
            if (shape.minSteps() != shape.maxSteps()) {
                Sequence odd = sequences.filter(s -> s.steps() != shape.maxSteps()).first();
                throw new InputDataException(paths.get(odd.fileIndex()) + ":" + odd.line() + ": the sequence has "
                        + odd.steps() + " steps where others have " + shape.maxSteps()
                        + " (this kind expects sequences of one fixed length)");
            }
            steps = shape.maxSteps();
        }
        Map<Integer, Long> labelCounts = new TreeMap<>(sequences.map(Sequence::label).countByValue());
        if (labelCounts.size() < 2) {
            throw new InputDataException(files.pattern() + ": every sequence has label "
                    + labelCounts.keySet().iterator().next() + "; classification needs at least two classes");
        }
        if (seq.label() == SequencesConfig.Label.ROW_BLOCK && seq.classNames().isEmpty()) {
            requireWholeLastBlocks(lines, files, seq, config.input().header());
        }
        List<String> classNames = classNames(seq, labelCounts);

        Map<Integer, Long> perSplit = sequences.map(Sequence::split).countByValue();
        if (perSplit.getOrDefault(0, 0L) == 0) {
            throw new InputDataException("the training split is empty; check split.fractions");
        }
        SequenceInputs inputs = SequenceInputs.of(config);
        Standardizer normalizer = LabelledSequence.fitNormalizer(sequences, seq.channels(), inputs, config.normalize());
        JavaRDD<Example> examples = LabelledSequence.examples(sequences, inputs, normalizer);

        Map<Integer, PreparedExamples.SplitRows> splitRows = new TreeMap<>();
        perSplit.forEach((split, n) -> {
            if (split >= 0) splitRows.put(split, new PreparedExamples.SplitRows(n, "", ""));
        });
        Map<String, Long> counts = new TreeMap<>();
        counts.put("sequencesRead", perSplit.values().stream().mapToLong(Long::longValue).sum());
        counts.put("sequencesUnassigned", perSplit.getOrDefault(-1, 0L));
        labelCounts.forEach((label, n) -> counts.put("class." + classNames.get(label), n));
        return new PreparedExamples(examples, Task.CLASSIFICATION, normalizer.columns(), List.of(), classNames,
                steps, 0, normalizer, splitRows, counts, Map.of(), Map::of, rejected, persisted, Optional.empty(),
                Map.of());
    }

    /**
     * The length most lines have (the longer of equally common ones), which the quarantined lines of another
     * length differ from.
     */
    static int commonLength(Map<Integer, Long> lengths, InputFiles files) {
        if (lengths.isEmpty()) {
            throw new InputDataException(files.pattern() + ": no well-formed line (there are no data lines, or every "
                    + "one is malformed: see rejected/; input.onBadRecord = \"fail\" names the first)");
        }
        int common = -1;
        long most = 0;
        for (Map.Entry<Integer, Long> e : lengths.entrySet()) {
            if (e.getValue() > most || (e.getValue() == most && e.getKey() > common)) {
                common = e.getKey();
                most = e.getValue();
            }
        }
        return common;
    }

    /**
     * The malformed lines and the well-formed ones whose length is not {@code steps}, in file and line order:
     * the lines are parsed again, so that the well-formed ones need not keep their text.
     */
    static JavaRDD<Rejection> rejections(JavaRDD<TextLine> lines, PrepareConfig config, int steps) {
        return parseEach(lines, config, (line, p) -> !p.ok() ? p.rejection()
                : p.value().steps() == steps ? null
                : new Rejection(line.file(), line.number(), "the sequence has " + p.value().steps()
                        + " steps where most have " + steps + " (this kind expects sequences of one fixed length)",
                        line.text()));
    }

    /** The data lines of the files: not the header line, not blank. */
    static JavaRDD<TextLine> dataLines(JavaSparkContext sc, PrepareConfig config, InputFiles files, int partitions) {
        boolean header = config.input().header();
        return TextLines.read(sc, files, config.input().encoding(), partitions)
                .filter(line -> !(header && line.number() == 1) && !line.isBlank());
    }

    /** The data lines parsed (and assigned to a split), in parallel. */
    static JavaRDD<ParsedLine<Sequence>> parse(JavaRDD<TextLine> lines, PrepareConfig config) {
        return parseEach(lines, config, (line, p) -> p);
    }

    /** Each data line parsed, then what {@code keep} makes of it and the line (null: nothing). */
    private static <T> JavaRDD<T> parseEach(JavaRDD<TextLine> lines, PrepareConfig config,
                                            Function2<TextLine, ParsedLine<Sequence>, T> keep) {
        SequencesConfig seq = config.sequences();
        boolean header = config.input().header();
        long seed = config.seed();
        SplitConfig split = config.split();
        return lines.mapPartitions(part -> {
            Pattern separator = Pattern.compile(seq.separator());
            List<T> out = new ArrayList<>();
            while (part.hasNext()) {
                TextLine line = part.next();
                T kept = keep.call(line, parse(line, separator, seq, header, seed, split));
                if (kept != null) out.add(kept);
            }
            return out.iterator();
        });
    }

    /**
     * The lines of the files as sequences for scoring; a line without a label ({@code sequences.label = none})
     * has -1. A malformed line is an input error whatever {@code input.onBadRecord} says: predict has no
     * {@code rejected/}.
     */
    public static JavaRDD<? extends LabelledSequence> cases(JavaSparkContext sc, PrepareConfig config, InputFiles files) {
        requireOneFileForRowBlocks(config.sequences(), files);
        return parse(dataLines(sc, config, files, Math.max(2, sc.defaultParallelism())), config)
                .map(ParsedLine::orFail);
    }

    /**
     * One line as a sequence, or why it is malformed: values that cannot be split into the channels, a value
     * that is not a finite number, a label that is neither a class name nor an index, or one out of range.
     */
    static ParsedLine<Sequence> parse(TextLine line, Pattern separator, SequencesConfig seq, boolean header,
                                      long seed, SplitConfig splitConfig) {
        String[] fields = separator.split(line.text().strip());
        int first = 0;
        int end = fields.length;
        String labelText = null;
        if (seq.label() == SequencesConfig.Label.FIRST_FIELD) {
            labelText = fields[0];
            first = 1;
        } else if (seq.label() == SequencesConfig.Label.LAST_FIELD) {
            labelText = fields[fields.length - 1];
            end = fields.length - 1;
        }
        boolean unlabelled = seq.label() == SequencesConfig.Label.NONE;
        int count = end - first;
        if (count < 1 || count % seq.channels() != 0) {
            return ParsedLine.rejected(line, count + " values cannot be split into " + seq.channels()
                    + " channels (sequences.channels)");
        }
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            String field = fields[first + i];
            values[i] = TextLine.finiteOrNaN(field);
            if (Double.isNaN(values[i])) {
                return ParsedLine.rejected(line, TextLine.notFinite(field, "value " + (i + 1)));
            }
        }
        long dataLine = line.number() - 1 - (header ? 1 : 0);
        int label;
        if (unlabelled) {
            label = -1;
        } else if (labelText == null) {
            label = (int) (dataLine / seq.rowsPerClass());
        } else {
            label = labelIndex(labelText, seq.classNames());
            if (label < 0) {
                return ParsedLine.rejected(line, "label '" + labelText + "' is neither a class name "
                        + seq.classNames() + " nor a class index");
            }
        }
        if (!seq.classNames().isEmpty() && label >= seq.classNames().size()) {
            String where = labelText == null ? rowBlock(label, seq, header) : "";
            return ParsedLine.rejected(line, "label " + label + where + " is out of range: "
                    + seq.classNames().size() + " classes are configured (sequences.classNames)");
        }
        int split = splitConfig.randomSplit(Hashing.unit(seed, line.fileIndex(), line.number()), false);
        return ParsedLine.of(new Sequence(line.fileIndex(), line.number(), label, split, values,
                count / seq.channels()));
    }

    /** Where the lines of a row-block label are, for messages: the label comes from no field. */
    private static String rowBlock(int label, SequencesConfig seq, boolean header) {
        long first = firstLineOfBlock(label, seq, header);
        return " (the row block of lines " + first + " to " + (first + seq.rowsPerClass() - 1)
                + ", sequences.rowsPerClass = " + seq.rowsPerClass() + ")";
    }

    private static long firstLineOfBlock(long label, SequencesConfig seq, boolean header) {
        return label * seq.rowsPerClass() + 1 + (header ? 1 : 0);
    }

    /**
     * Row blocks without class names: the classes are the blocks, and a last block of a file shorter than the
     * others would be a class of its own made of stray lines (a trailing line, a wrong {@code rowsPerClass} or
     * {@code input.header}). Named classes accept it.
     */
    static void requireWholeLastBlocks(JavaRDD<TextLine> lines, InputFiles files, SequencesConfig seq, boolean header) {
        Map<Integer, Long> lastLines = new TreeMap<>(lines
                .mapToPair(l -> new Tuple2<>(l.fileIndex(), l.number()))
                .reduceByKey((a, b) -> Math.max(a, b))
                .collectAsMap());
        int perClass = seq.rowsPerClass();
        for (Map.Entry<Integer, Long> file : lastLines.entrySet()) {
            long positions = file.getValue() - (header ? 1 : 0);
            long rest = positions % perClass;
            if (rest == 0) continue;
            long label = positions / perClass;
            long first = firstLineOfBlock(label, seq, header);
            throw new InputDataException(files.paths().get(file.getKey()) + ":" + first + ": label " + label + " has "
                    + rest + (rest == 1 ? " line" : " lines") + " where sequences.rowsPerClass = " + perClass
                    + " (its row block is lines " + first + " to " + (first + perClass - 1) + " and the file ends at "
                    + "line " + file.getValue() + "); check sequences.rowsPerClass and input.header, or name the "
                    + "classes in sequences.classNames to keep a short last class");
        }
    }

    /** The index of a class name, or the label as a non-negative integer index; -1 when it is neither. */
    private static int labelIndex(String text, List<String> classNames) {
        int named = classNames.indexOf(text);
        if (named >= 0) return named;
        try {
            double v = Double.parseDouble(text);
            int index = (int) v;
            return index >= 0 && index == v ? index : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static List<String> classNames(SequencesConfig seq, Map<Integer, Long> labelCounts) {
        if (!seq.classNames().isEmpty()) {
            return seq.classNames();
        }
        int classes = ((TreeMap<Integer, Long>) labelCounts).lastKey() + 1;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < classes; i++) names.add(Integer.toString(i));
        return names;
    }

    /** Shortest and longest sequence, merged across partitions. */
    record LineShape(int minSteps, int maxSteps) implements Serializable {
        /** The shape of no lines: merged with any other, gives the other. */
        static final LineShape NONE = new LineShape(Integer.MAX_VALUE, 0);

        LineShape merge(LineShape o) {
            return new LineShape(Math.min(minSteps, o.minSteps), Math.max(maxSteps, o.maxSteps));
        }
    }
}
