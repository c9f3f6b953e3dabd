package io.sparklstm.prep.sequences;

import io.sparklstm.model.Task;
import io.sparklstm.model.data.Standardizer;
import io.sparklstm.prep.InputDataException;
import io.sparklstm.prep.LabelledSequence;
import io.sparklstm.prep.PreparedExamples;
import io.sparklstm.prep.config.PrepareConfig;
import io.sparklstm.prep.config.SequencesConfig;
import io.sparklstm.prep.export.Example;
import io.sparklstm.prep.export.Hashing;
import io.sparklstm.prep.io.InputFiles;
import io.sparklstm.prep.io.TextLine;
import io.sparklstm.prep.io.TextLines;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Prepares labelled sequences, one per line, for sequence classification: every line is parsed (a bad
 * line fails with its file, line and text), labelled, put in a split by a seeded hash of its file and line,
 * and standardized per channel with statistics of the training split.
 */
public final class SequencesPreparer {

    private SequencesPreparer() {
    }

    /** A parsed line: its place, label, split, values (channel-major) and steps. */
    record Sequence(int fileIndex, long line, int label, int split, double[] values, int steps)
            implements LabelledSequence, Serializable {
    }

    public static PreparedExamples prepare(JavaSparkContext sc, PrepareConfig config, InputFiles files) {
        if (config.sequences().label() == SequencesConfig.Label.NONE) {
            throw new IllegalArgumentException("sequences.label = \"none\" is invalid for prepare: training needs "
                    + "labels (row_block, first_field or last_field); none is for scoring unlabelled data");
        }
        SequencesConfig seq = config.sequences();
        int partitions = Math.max(2, sc.defaultParallelism());
        JavaRDD<Sequence> sequences = read(sc, config, files, partitions);
        sequences.persist(StorageLevel.MEMORY_AND_DISK_SER());

        LineShape shape = sequences
                .map(s -> new LineShape(s.steps(), s.steps()))
                .reduce(LineShape::merge);
        List<String> paths = files.paths();
        if (shape.minSteps() != shape.maxSteps()) {
            Sequence odd = sequences.filter(s -> s.steps() != shape.maxSteps()).first();
            throw new InputDataException(paths.get(odd.fileIndex()) + ":" + odd.line() + ": the sequence has "
                    + odd.steps() + " steps where others have " + shape.maxSteps()
                    + " (this kind expects sequences of one fixed length)");
        }
        Map<Integer, Long> labelCounts = new TreeMap<>(sequences.map(Sequence::label).countByValue());
        if (labelCounts.size() < 2) {
            throw new InputDataException(files.pattern() + ": every sequence has label "
                    + labelCounts.keySet().iterator().next() + "; classification needs at least two classes");
        }
        List<String> classNames = classNames(seq, labelCounts);

        Map<Integer, Long> perSplit = sequences.map(Sequence::split).countByValue();
        if (perSplit.getOrDefault(0, 0L) == 0) {
            throw new InputDataException("the training split is empty; check split.fractions");
        }
        Standardizer normalizer = LabelledSequence.fitNormalizer(sequences, seq.channels(), config.normalize());
        JavaRDD<Example> examples = LabelledSequence.examples(sequences, normalizer);

        Map<Integer, PreparedExamples.SplitRows> splitRows = new TreeMap<>();
        perSplit.forEach((split, n) -> {
            if (split >= 0) splitRows.put(split, new PreparedExamples.SplitRows(n, "", ""));
        });
        Map<String, Long> counts = new TreeMap<>();
        counts.put("sequencesRead", perSplit.values().stream().mapToLong(Long::longValue).sum());
        counts.put("sequencesUnassigned", perSplit.getOrDefault(-1, 0L));
        labelCounts.forEach((label, n) -> counts.put("class." + classNames.get(label), n));
        return new PreparedExamples(examples, Task.CLASSIFICATION, normalizer.columns(), List.of(), classNames,
                shape.maxSteps(), 0, normalizer, splitRows, counts);
    }

    /** The lines of the files parsed (and assigned to a split), in parallel. */
    static JavaRDD<Sequence> read(JavaSparkContext sc, PrepareConfig config, InputFiles files, int partitions) {
        SequencesConfig seq = config.sequences();
        boolean header = config.input().header();
        long seed = config.seed();
        List<Double> fractions = config.split().fractions();
        return TextLines.read(sc, files, config.input().encoding(), partitions)
                .filter(line -> !(header && line.number() == 1) && !line.isBlank())
                .mapPartitions(part -> {
                    Pattern separator = Pattern.compile(seq.separator());
                    List<Sequence> out = new ArrayList<>();
                    while (part.hasNext()) {
                        out.add(parse(part.next(), separator, seq, header, seed, fractions));
                    }
                    return out.iterator();
                });
    }

    /** The lines of the files as sequences for scoring; a line without a label ({@code sequences.label = none}) has -1. */
    public static JavaRDD<? extends LabelledSequence> cases(JavaSparkContext sc, PrepareConfig config, InputFiles files) {
        return read(sc, config, files, Math.max(2, sc.defaultParallelism()));
    }

    static Sequence parse(TextLine line, Pattern separator, SequencesConfig seq, boolean header, long seed,
                          List<Double> fractions) {
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
            throw InputDataException.atLine(line.file(), line.number(), count + " values cannot be split into "
                    + seq.channels() + " channels (sequences.channels)", line.text());
        }
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = line.finiteNumber(fields[first + i], "value " + (i + 1));
        }
        long dataLine = line.number() - 1 - (header ? 1 : 0);
        int label = unlabelled ? -1 : labelText == null
                ? (int) (dataLine / seq.rowsPerClass())
                : labelIndex(labelText, seq.classNames(), line);
        if (!seq.classNames().isEmpty() && label >= seq.classNames().size()) {
            throw InputDataException.atLine(line.file(), line.number(), "label " + label + " is out of range: "
                    + seq.classNames().size() + " classes are configured (sequences.classNames)", line.text());
        }
        double u = Hashing.unit(seed, line.fileIndex(), line.number());
        int split = u < fractions.get(0) ? 0
                : u < fractions.get(0) + fractions.get(1) ? 1
                : u < fractions.get(0) + fractions.get(1) + fractions.get(2) ? 2 : -1;
        return new Sequence(line.fileIndex(), line.number(), label, split, values, count / seq.channels());
    }

    private static int labelIndex(String text, List<String> classNames, TextLine line) {
        int named = classNames.indexOf(text);
        if (named >= 0) return named;
        try {
            int index = (int) Double.parseDouble(text);
            if (index < 0 || index != Double.parseDouble(text)) throw new NumberFormatException();
            return index;
        } catch (NumberFormatException e) {
            throw InputDataException.atLine(line.file(), line.number(), "label '" + text
                    + "' is neither a class name " + classNames + " nor a class index", line.text());
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
        LineShape merge(LineShape o) {
            return new LineShape(Math.min(minSteps, o.minSteps), Math.max(maxSteps, o.maxSteps));
        }
    }
}
