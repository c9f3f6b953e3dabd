package io.sparklstm.prep.uea;

import io.sparklstm.model.Task;
import io.sparklstm.model.data.Standardizer;
import io.sparklstm.prep.LabelledSequence;
import io.sparklstm.prep.ParsedLine;
import io.sparklstm.prep.PreparedExamples;
import io.sparklstm.prep.SequenceInputs;
import io.sparklstm.prep.config.PrepareConfig;
import io.sparklstm.prep.export.Example;
import io.sparklstm.prep.export.MinibatchWriter;
import io.sparklstm.prep.io.InputDataException;
import io.sparklstm.prep.io.InputFiles;
import io.sparklstm.prep.io.TextLine;
import io.sparklstm.prep.io.TextLines;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Prepares sktime/UEA {@code .ts} files for sequence classification. The headers are read on the driver
 * (every file's, and they must agree on channels and classes); the data lines are read with Spark and parsed
 * on the executors, where every case keeps its file and line for errors. A malformed case line fails with its
 * file, line and text, or with {@code input.onBadRecord = quarantine} goes to {@code rejected/} with its
 * reason and is in no count but {@code rejectedRecords}; a malformed header always fails. Cases of
 * {@code ts.testPath} are the test split; the others are split by a seeded hash (see {@link TsSplit}). Each case is
 * made the network's inputs ({@link SequenceInputs}: its own transform and statistics, when configured), and each
 * input channel is standardized with the mean and standard deviation over all time steps of the training cases.
 * Cases keep their own length: the exporter pads each minibatch to its longest case and masks the padding.
 */
public final class TsPreparer {

    private static final Logger LOG = LoggerFactory.getLogger(TsPreparer.class);

    private TsPreparer() {
    }

    /** The types this kind's Spark stages cache and shuffle, for Kryo to register (see {@code SerializedTypes}). */
    public static java.util.List<Class<?>> serializedTypes() {
        return java.util.List.of(TsCase.class, Tally.class);
    }

    /**
     * @param files     the {@code input.path} files
     * @param testFiles the {@code ts.testPath} files, or null when the test split comes from {@code files}
     */
    public static PreparedExamples prepare(JavaSparkContext sc, PrepareConfig config, InputFiles files,
                                           InputFiles testFiles) {
        Configuration hadoop = sc.hadoopConfiguration();
        Charset charset = Charset.forName(config.input().encoding());
        List<String> inputPaths = files.paths();
        List<String> testPaths = testFiles == null ? List.of() : testFiles.paths();
        List<TsHeader> headers = new ArrayList<>();
        for (String path : inputPaths) headers.add(TsHeader.read(path, hadoop, charset));
        for (String path : testPaths) headers.add(TsHeader.read(path, hadoop, charset));
        TsHeader first = headers.get(0);
        for (TsHeader h : headers) first.requireCompatible(h);
        int channels = first.dimensions();
        List<String> classNames = first.classNames();
        LOG.info("ts: {} ({} channels, classes {}), {} input file(s), {} test file(s)", first.problemName(),
                channels, classNames, inputPaths.size(), testPaths.size());
        if (testFiles != null && config.split().fractions().get(2) > 0) {
            LOG.info("ts: ts.testPath is set, so the test fraction of split.fractions is not used; input.path is"
                    + " divided between train and validation only");
        }

        int partitions = Math.max(2, sc.defaultParallelism());
        String encoding = config.input().encoding();
        int inputFiles = inputPaths.size();
        JavaRDD<TextLine> lines = TextLines.read(sc, files, encoding, partitions);
        if (testFiles != null) {
            lines = lines.union(TextLines.read(sc, testFiles, encoding, partitions)
                    .map(l -> new TextLine(l.fileIndex() + inputFiles, l.file(), l.number(), l.text())));
        }
        TsHeader[] byFile = headers.toArray(TsHeader[]::new);
        TsSplit split = new TsSplit(config.seed(), config.split(), inputFiles, testFiles != null);
        boolean quarantine = config.input().quarantine();
        JavaRDD<ParsedLine<TsCase>> parsed = parse(lines, byFile);
        JavaRDD<TsCase> cases;
        Optional<JavaRDD<String>> rejected = Optional.empty();
        List<JavaRDD<?>> persisted;
        if (quarantine) {
            // the malformed lines keep their text for rejected/; the cases are filtered from the cached lines
            parsed.persist(StorageLevel.MEMORY_AND_DISK_SER());
            persisted = List.of(parsed);
            cases = parsed.filter(ParsedLine::ok).map(p -> p.value().withSplit(split.of(p.value().fileIndex(),
                    p.value().line())));
            rejected = Optional.of(parsed.filter(p -> !p.ok()).map(p -> p.rejection().toJson()));
        } else {
            cases = parsed.map(ParsedLine::orFail).map(c -> c.withSplit(split.of(c.fileIndex(), c.line())));
            cases.persist(StorageLevel.MEMORY_AND_DISK_SER());
            persisted = List.of(cases);
        }

        int classes = classNames.size();
        List<String> allPaths = new ArrayList<>(inputPaths);
        allPaths.addAll(testPaths);
        Tally empty = new Tally(classes, allPaths.size());
        // quarantined lines count as their file's case lines too: a file whose every case is malformed has cases
        Tally tally = quarantine
                ? parsed.treeAggregate(empty, (t, p) -> p.ok()
                        ? t.add(p.value().withSplit(split.of(p.value().fileIndex(), p.value().line())))
                        : t.addMalformed(allPaths.indexOf(p.rejection().file())), Tally::merge)
                : cases.treeAggregate(empty, Tally::add, Tally::merge);
        requireCases(tally, headers);
        if (tally.cases() == 0) {
            throw new InputDataException(files.pattern() + ": no " + (quarantine ? "well-formed " : "")
                    + "cases after @data");
        }
        if (tally.inSplit(0) == 0) {
            throw new InputDataException("the training split is empty; check split.fractions");
        }
        if (testFiles != null && tally.inSplit(2) == 0) {
            throw new InputDataException("ts.testPath " + testFiles.pattern() + ": no cases after @data");
        }

        SequenceInputs inputs = SequenceInputs.of(config);
        Standardizer normalizer = LabelledSequence.fitNormalizer(cases, channels, inputs, config.normalize());
        JavaRDD<Example> examples = LabelledSequence.examples(cases, inputs, normalizer);

        Map<Integer, PreparedExamples.SplitRows> splitRows = new TreeMap<>();
        Map<String, Long> counts = new TreeMap<>();
        for (int s = 0; s < 3; s++) {
            if (tally.inSplit(s) > 0) splitRows.put(s, new PreparedExamples.SplitRows(tally.inSplit(s), "", ""));
        }
        counts.put("casesRead", tally.cases());
        counts.put("casesUnassigned", tally.unassigned());
        counts.put("minSteps", (long) tally.minSteps());
        counts.put("maxSteps", (long) tally.maxSteps());
        for (int k = 0; k < classes; k++) {
            long all = 0;
            for (int s = 0; s < 3; s++) {
                long n = tally.count(s, k);
                counts.put("class." + classNames.get(k) + "." + MinibatchWriter.SPLIT_NAMES.get(s), n);
                all += n;
            }
            counts.put("class." + classNames.get(k), all + tally.count(3, k));
        }
        return new PreparedExamples(examples, Task.CLASSIFICATION, normalizer.columns(), List.of(), classNames,
                tally.maxSteps(), 0, normalizer, splitRows, counts, Map.of(), Map::of, rejected, persisted,
                Optional.empty(), Map.of());
    }

    /**
     * The cases of {@code .ts} files for scoring with a model trained on {@code classNames}: the headers must
     * agree with each other and list the model's classes (in its order), and every case keeps its label. A
     * malformed line is an input error whatever {@code input.onBadRecord} says: predict has no {@code rejected/}.
     */
    public static JavaRDD<TsCase> cases(JavaSparkContext sc, PrepareConfig config, InputFiles files,
                                        List<String> classNames, int channels) {
        Configuration hadoop = sc.hadoopConfiguration();
        Charset charset = Charset.forName(config.input().encoding());
        TsHeader[] byFile = files.paths().stream().map(p -> TsHeader.read(p, hadoop, charset)).toArray(TsHeader[]::new);
        for (TsHeader h : byFile) byFile[0].requireCompatible(h);
        if (!byFile[0].classNames().equals(classNames) || byFile[0].dimensions() != channels) {
            throw new InputDataException(files.paths().get(0) + ": @classLabel " + byFile[0].classNames() + " and "
                    + "@dimensions " + byFile[0].dimensions() + " differ from the model's classes " + classNames
                    + " and " + channels + " channels");
        }
        return parse(TextLines.read(sc, files, config.input().encoding(), Math.max(2, sc.defaultParallelism())),
                byFile).map(ParsedLine::orFail);
    }

    /**
     * Fails naming the first file that has a header but no case lines: a file cut short, or a header exported
     * without its data, is not silently a file of no cases.
     */
    private static void requireCases(Tally tally, List<TsHeader> headers) {
        for (int f = 0; f < headers.size(); f++) {
            if (tally.caseLines(f) == 0) {
                TsHeader h = headers.get(f);
                throw new InputDataException(h.file() + ": no cases after @data (line " + h.dataLine()
                        + "): the file has a header but no case lines");
            }
        }
    }

    /**
     * The data lines (after each file's header; not blank, not comments) parsed into cases (split unset), or
     * why they are malformed.
     */
    private static JavaRDD<ParsedLine<TsCase>> parse(JavaRDD<TextLine> lines, TsHeader[] byFile) {
        return lines.filter(l -> l.number() > byFile[l.fileIndex()].dataLine() && !l.isBlank()
                        && !l.text().strip().startsWith("#"))
                .map(l -> TsCase.read(l, byFile[l.fileIndex()]));
    }

    /**
     * Cases per split and class (row 3: in no split), case lines (well-formed or not) per file, and the shortest
     * and longest case: all that comes back to the driver.
     */
    static final class Tally implements Serializable {
        private final long[][] counts;
        private final long[] caseLines;
        private int minSteps = Integer.MAX_VALUE;
        private int maxSteps = 0;

        Tally(int classes, int files) {
            counts = new long[4][classes];
            caseLines = new long[files];
        }

        Tally add(TsCase c) {
            counts[c.split() < 0 ? 3 : c.split()][c.label()]++;
            caseLines[c.fileIndex()]++;
            minSteps = Math.min(minSteps, c.steps());
            maxSteps = Math.max(maxSteps, c.steps());
            return this;
        }

        /** A quarantined case line of file {@code fileIndex}. */
        Tally addMalformed(int fileIndex) {
            caseLines[fileIndex]++;
            return this;
        }

        Tally merge(Tally o) {
            for (int s = 0; s < counts.length; s++) {
                for (int k = 0; k < counts[s].length; k++) counts[s][k] += o.counts[s][k];
            }
            for (int f = 0; f < caseLines.length; f++) caseLines[f] += o.caseLines[f];
            minSteps = Math.min(minSteps, o.minSteps);
            maxSteps = Math.max(maxSteps, o.maxSteps);
            return this;
        }

        long caseLines(int fileIndex) {
            return caseLines[fileIndex];
        }

        long count(int split, int label) {
            return counts[split][label];
        }

        long inSplit(int split) {
            long n = 0;
            for (long v : counts[split]) n += v;
            return n;
        }

        long unassigned() {
            return inSplit(3);
        }

        long cases() {
            return inSplit(0) + inSplit(1) + inSplit(2) + inSplit(3);
        }

        int minSteps() {
            return minSteps;
        }

        int maxSteps() {
            return maxSteps;
        }
    }
}
