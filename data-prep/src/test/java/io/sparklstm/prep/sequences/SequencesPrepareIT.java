package io.sparklstm.prep.sequences;

import io.sparklstm.model.data.DatasetManifest;
import io.sparklstm.prep.Rejection;
import io.sparklstm.prep.SparkPrepareIT;
import io.sparklstm.prep.SparkTestContext;
import io.sparklstm.prep.config.DatasetKind;
import io.sparklstm.prep.config.InputConfig;
import io.sparklstm.prep.config.PerSequence;
import io.sparklstm.prep.config.PrepareConfig;
import io.sparklstm.prep.config.SequencesConfig;
import io.sparklstm.prep.config.SplitConfig;
import io.sparklstm.prep.config.TimeSeriesConfig;
import io.sparklstm.prep.config.TsConfig;
import io.sparklstm.prep.export.Hashing;
import io.sparklstm.prep.io.InputDataException;
import io.sparklstm.prep.job.PrepareJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

/** Prepares the real UCI synthetic control data with a real local Spark. */
class SequencesPrepareIT extends SparkPrepareIT {

    private static final long SEED = 99L;



    static PrepareConfig config(Path input, SequencesConfig seq) {
        return config(input, seq, InputConfig.BadRecords.FAIL);
    }

    static PrepareConfig config(Path input, SequencesConfig seq, InputConfig.BadRecords onBadRecord) {
        return new PrepareConfig(DatasetKind.SEQUENCES, new InputConfig(input.toString(), ",", false, "UTF-8",
                InputConfig.Format.CSV, InputConfig.DEFAULT_NA_TOKENS, List.of(), onBadRecord),
                new TimeSeriesConfig("date", "yyyy-MM-dd", List.of(), List.of(), 4, 2, 1, TimeSeriesConfig.TargetOffset.NONE), seq,
                new TsConfig(""),
                new SplitConfig(SplitConfig.Method.RANDOM, List.of(0.6, 0.2, 0.2), "", "", ""), true, 32, SEED);
    }

    static SequencesConfig rowBlocks() {
        return new SequencesConfig("\\s+", 1, SequencesConfig.Label.ROW_BLOCK, 100, List.of());
    }

    @Test
    void syntheticControlBecomesSixClassesOfSixtySteps(@TempDir Path dir) throws IOException {
        Path data = SparkTestContext.shippedData("synthetic_control/synthetic_control.data");
        Path out = dir.resolve("out");
        DatasetManifest m = PrepareJob.run(sc, config(data, rowBlocks()), out.toString(), false, Map.of());
        assertEquals(List.of("0", "1", "2", "3", "4", "5"), m.classNames());
        assertEquals(60, m.windowSteps());
        assertEquals(600, m.split("train").examples() + m.split("validation").examples() + m.split("test").examples());
        for (int c = 0; c < 6; c++) {
            assertEquals(100L, m.counts().get("class." + c));
        }
        for (String split : List.of("train", "validation", "test")) {
            // every sequence has 60 steps: no batch needs a mask
            assertLengths(out, split, java.util.Collections.nCopies((int) m.split(split).examples(), 60));
            assertEquals(0, writtenSplit(out, split).get("maskedBatches").asLong());
        }

        // The first test file starts with the earliest test line: check its label and standardized values.
        List<String> lines = Files.readAllLines(data, StandardCharsets.UTF_8);
        int firstTestLine = -1;
        for (int n = 1; n <= 600 && firstTestLine < 0; n++) {
            if (Hashing.unit(SEED, 0, n) >= 0.8) firstTestLine = n;
        }
        DataSet first = new DataSet();
        first.load(out.resolve(m.split("test").files().get(0)).toFile());
        assertEquals(1.0, first.getLabels().getDouble(0, (firstTestLine - 1) / 100));
        String[] values = lines.get(firstTestLine - 1).strip().split("\\s+");
        for (int t = 0; t < 60; t++) {
            double expected = (Double.parseDouble(values[t]) - m.normalizer().mean()[0]) / m.normalizer().std()[0];
            assertEquals(expected, first.getFeatures().getDouble(0, 0, t), 1e-5);
        }
    }

    /**
     * prepare.perSequence = standardize: every prepared sequence, in every split, has mean 0 and standard deviation
     * 1 over its steps, and the normalizer fitted on the training sequences so transformed is the identity; center
     * leaves each sequence's mean at 0 and its spread as it was, divided by the normalizer's, and with
     * sequenceStats the line's mean and standard deviation follow as two more channels, standardized too.
     */
    @Test
    void perSequenceTransformsEachPreparedSequenceWithItsOwnStatistics(@TempDir Path dir) throws IOException {
        Path data = SparkTestContext.shippedData("synthetic_control/synthetic_control.data");
        List<String> lines = Files.readAllLines(data, StandardCharsets.UTF_8);
        Path standardized = dir.resolve("standardized");
        DatasetManifest m = PrepareJob.run(sc, config(data, rowBlocks()).withSequenceInputs(PerSequence.STANDARDIZE, false),
                standardized.toString(), false, Map.of());
        assertEquals(0.0, m.normalizer().mean()[0], 1e-9);
        assertEquals(1.0, m.normalizer().std()[0], 1e-9);
        int sequences = 0;
        for (String split : List.of("train", "validation", "test")) {
            for (String file : m.split(split).files()) {
                DataSet batch = new DataSet();
                batch.load(standardized.resolve(file).toFile());
                for (int i = 0; i < batch.numExamples(); i++) {
                    double[] v = batch.getFeatures().get(point(i), point(0), all()).toDoubleVector();
                    assertEquals(0.0, mean(v), 1e-5, split + " " + file + " example " + i);
                    assertEquals(1.0, std(v), 1e-5, split + " " + file + " example " + i);
                    sequences++;
                }
            }
        }
        assertEquals(600, sequences);

        // center: the first test sequence is its line minus the line's mean, over the normalizer's spread
        Path centered = dir.resolve("centered");
        DatasetManifest c = PrepareJob.run(sc, config(data, rowBlocks()).withSequenceInputs(PerSequence.CENTER, true),
                centered.toString(), false, Map.of());
        assertEquals(0.0, c.normalizer().mean()[0], 1e-9);
        int firstTestLine = 1;
        while (Hashing.unit(SEED, 0, firstTestLine) < 0.8) firstTestLine++;
        double[] raw = java.util.Arrays.stream(lines.get(firstTestLine - 1).strip().split("\\s+"))
                .mapToDouble(Double::parseDouble).toArray();
        DataSet first = new DataSet();
        first.load(centered.resolve(c.split("test").files().get(0)).toFile());
        assertEquals(List.of("value", "value.mean", "value.std"), c.featureNames());
        assertEquals(3, first.getFeatures().size(1));
        double rawMean = mean(raw);
        for (int t = 0; t < 60; t++) {
            assertEquals((raw[t] - rawMean) / c.normalizer().std()[0], first.getFeatures().getDouble(0, 0, t), 1e-5,
                    "step " + t);
            assertEquals(c.normalizer().transform(1, rawMean), first.getFeatures().getDouble(0, 1, t), 1e-5);
            assertEquals(c.normalizer().transform(2, std(raw)), first.getFeatures().getDouble(0, 2, t), 1e-5);
        }
    }

    private static double mean(double[] v) {
        return java.util.Arrays.stream(v).average().orElseThrow();
    }

    private static double std(double[] v) {
        double mean = mean(v);
        return Math.sqrt(java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / v.length);
    }

    @Test
    void aLabelOutOfRangeNamesTheLine(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("labelled.txt");
        Files.write(data, List.of("1 2 3 0", "4 5 6 1", "7 8 9 5", "1 1 1 0"), StandardCharsets.UTF_8);
        SequencesConfig seq = new SequencesConfig("\\s+", 1, SequencesConfig.Label.LAST_FIELD, 1, List.of("a", "b"));
        Exception e = assertThrows(Exception.class,
                () -> PrepareJob.run(sc, config(data, seq), dir.resolve("o").toString(), false, Map.of()));
        String message = inputError(e).getMessage();
        assertTrue(message.contains("labelled.txt:3: label 5 is out of range"), message);
    }

    /** Lines past the blocks of the named classes name the file, the line and the block's class index. */
    @Test
    void rowBlocksBeyondTheNamedClassesFailWithFileLineAndLabel(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("blocks.txt");
        Files.write(data, List.of("1 2 3", "4 5 6", "7 8 9", "1 1 1", "2 2 2"), StandardCharsets.UTF_8);
        SequencesConfig seq = new SequencesConfig("\\s+", 1, SequencesConfig.Label.ROW_BLOCK, 2, List.of("a", "b"));
        Exception e = assertThrows(Exception.class,
                () -> PrepareJob.run(sc, config(data, seq), dir.resolve("o").toString(), false, Map.of()));
        String message = inputError(e).getMessage();
        assertTrue(message.startsWith("file:" + data + ":5: label 2 (the row block of lines 5 to 6, "
                + "sequences.rowsPerClass = 2) is out of range: 2 classes are configured (sequences.classNames)"),
                message);
    }

    /**
     * Without class names the classes are the row blocks; a last block shorter than the others is a stray class
     * (a trailing line, a wrong rowsPerClass or header setting) that would silently become a class of its own.
     * Naming the classes accepts it.
     */
    @Test
    void aShortLastRowBlockIsAnErrorUnlessTheClassesAreNamed(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("blocks.txt");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 7; i++) lines.add(i + " " + (i * 2) + " " + (i % 3));
        Files.write(data, lines, StandardCharsets.UTF_8);
        SequencesConfig unnamed = new SequencesConfig("\\s+", 1, SequencesConfig.Label.ROW_BLOCK, 3, List.of());
        Exception e = assertThrows(Exception.class,
                () -> PrepareJob.run(sc, config(data, unnamed), dir.resolve("o").toString(), false, Map.of()));
        String message = inputError(e).getMessage();
        assertEquals("file:" + data + ":7: label 2 has 1 line where sequences.rowsPerClass = 3 (its row block is lines 7 "
                + "to 9 and the file ends at line 7); check sequences.rowsPerClass and input.header, or name the classes in "
                + "sequences.classNames to keep a short last class", message);
        assertFalse(Files.exists(dir.resolve("o").resolve(DatasetManifest.FILE_NAME)));

        SequencesConfig named = new SequencesConfig("\\s+", 1, SequencesConfig.Label.ROW_BLOCK, 3, List.of("a", "b", "c"));
        DatasetManifest m = PrepareJob.run(sc, config(data, named), dir.resolve("named").toString(), false, Map.of());
        assertEquals(List.of("a", "b", "c"), m.classNames());
        assertEquals(1L, m.counts().get("class.c"));
    }

    /**
     * A split with a fraction that gets no example is an error naming it and the settings; a fraction of 0 says
     * the split is not wanted.
     */
    @Test
    void anEmptySplitIsAnErrorUnlessItsFractionIsZero(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("few.txt");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 20; i++) lines.add(i + " " + (i * 2) + " " + (i % 2));
        Files.write(data, lines, StandardCharsets.UTF_8);
        SequencesConfig seq = new SequencesConfig("\\s+", 1, SequencesConfig.Label.LAST_FIELD, 1, List.of());
        PrepareConfig tiny = withFractions(config(data, seq), 0.8, 1e-9, 0.2);
        Exception e = assertThrows(Exception.class,
                () -> PrepareJob.run(sc, tiny, dir.resolve("o").toString(), false, Map.of()));
        String message = inputError(e).getMessage();
        assertEquals("the validation split has no examples (0 sequences assigned to it) with split.fractions = "
                + "[0.8, 1.0E-9, 0.2]; change the split settings, or set its entry in split.fractions to 0 to prepare "
                + "without a validation split", message);
        assertFalse(Files.exists(dir.resolve("o").resolve(DatasetManifest.FILE_NAME)));

        DatasetManifest m = PrepareJob.run(sc, withFractions(config(data, seq), 0.8, 0, 0.2),
                dir.resolve("without").toString(), false, Map.of());
        assertEquals(0, m.split("validation").examples());
        assertEquals(20, m.split("train").examples() + m.split("test").examples());
    }

    private static PrepareConfig withFractions(PrepareConfig c, double train, double validation, double test) {
        return new PrepareConfig(c.kind(), c.input(), c.timeseries(), c.sequences(), c.ts(),
                new SplitConfig(SplitConfig.Method.RANDOM, List.of(train, validation, test), "", "", ""),
                c.normalize(), c.minibatchSize(), c.seed());
    }

    @Test
    void aLabelColumnWithOneClassIsRefused(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("one-class.txt");
        Files.write(data, List.of("1 2 3 a", "4 5 6 a", "7 8 9 a"), StandardCharsets.UTF_8);
        SequencesConfig seq = new SequencesConfig("\\s+", 1, SequencesConfig.Label.LAST_FIELD, 1, List.of());
        Exception e = assertThrows(Exception.class,
                () -> PrepareJob.run(sc, config(data, seq), dir.resolve("o").toString(), false, Map.of()));
        assertTrue(inputError(e).getMessage().contains("'a' is neither a class name"), e.getMessage());
    }

    /**
     * Two files of two-channel sequences with a label last, among them malformed lines of every kind and a line of
     * another length: with quarantine each is in rejected/ with its reason, file, line and text and in no other
     * count, and every other line goes to the split its file and line hash to; with fail the first one stops
     * the job.
     */
    @Test
    void malformedLinesAreQuarantinedWithTheirReasonsAndFailStopsAtTheFirst(@TempDir Path dir) throws IOException {
        Path in = Files.createDirectory(dir.resolve("in"));
        List<String> a = new ArrayList<>(List.of(
                "1 2 3 4 a",
                "1 2 x 4 b",
                "1 2 3 a",
                "5 6 7 8 c",
                "5 6 7 8 2",
                "",
                "1 2 NaN 4 a"));
        List<String> b = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            a.add(i + " " + (i * 2) + " " + (i % 7) + " " + (1.5 * i) + " " + (i % 3 == 0 ? "b" : "a"));
            b.add((i * 3) + " " + (-i) + " " + (i % 5) + " " + (0.25 * i) + " " + (i % 2 == 0 ? "1" : "0"));
        }
        b.set(4, "1 2 3 4 5 6 b");
        Files.write(in.resolve("a.txt"), a, StandardCharsets.UTF_8);
        Files.write(in.resolve("b.txt"), b, StandardCharsets.UTF_8);
        List<Rejection> expected = List.of(
                new Rejection("a.txt", 2, "value 3: 'x' is not a finite number", "1 2 x 4 b"),
                new Rejection("a.txt", 3, "3 values cannot be split into 2 channels (sequences.channels)", "1 2 3 a"),
                new Rejection("a.txt", 4, "label 'c' is neither a class name [a, b] nor a class index", "5 6 7 8 c"),
                new Rejection("a.txt", 5, "label 2 is out of range: 2 classes are configured (sequences.classNames)",
                        "5 6 7 8 2"),
                new Rejection("a.txt", 7, "value 3: 'NaN' is not a finite number", "1 2 NaN 4 a"),
                new Rejection("b.txt", 5, "the sequence has 3 steps where most have 2 (this kind expects sequences"
                        + " of one fixed length)", "1 2 3 4 5 6 b"));
        SequencesConfig seq = new SequencesConfig("\\s+", 2, SequencesConfig.Label.LAST_FIELD, 1, List.of("a", "b"));

        Path out = dir.resolve("quarantined");
        DatasetManifest m = PrepareJob.run(sc, config(in, seq, InputConfig.BadRecords.QUARANTINE), out.toString(),
                false, Map.of());
        assertEquals(expected, rejected(out));
        long linesRead = a.size() - 1 + b.size();
        long good = linesRead - expected.size();
        assertEquals((long) expected.size(), m.counts().get("rejectedRecords"));
        assertEquals(good, m.counts().get("sequencesRead"));
        assertEquals(0L, m.counts().get("sequencesUnassigned"));
        assertEquals(good, m.split("train").examples() + m.split("validation").examples() + m.split("test").examples());
        assertEquals(2, m.windowSteps());

        // The well-formed lines, by plain Java: their classes, and the split each hashes to by its file and line.
        long classA = 0;
        long train = 0;
        List<List<String>> files = List.of(a, b);
        for (int f = 0; f < 2; f++) {
            for (int n = 1; n <= files.get(f).size(); n++) {
                String text = files.get(f).get(n - 1);
                String file = f == 0 ? "a.txt" : "b.txt";
                int line = n;
                if (text.isBlank() || expected.stream().anyMatch(r -> r.file().equals(file) && r.line() == line)) {
                    continue;
                }
                String label = text.substring(text.lastIndexOf(' ') + 1);
                if (label.equals("a") || label.equals("0")) classA++;
                if (Hashing.unit(SEED, f, n) < 0.6) train++;
            }
        }
        assertEquals(classA, m.counts().get("class.a"));
        assertEquals(good - classA, m.counts().get("class.b"));
        assertEquals(train, m.split("train").examples());

        Exception e = assertThrows(Exception.class,
                () -> PrepareJob.run(sc, config(in, seq), dir.resolve("failed").toString(), false, Map.of()));
        String message = inputError(e).getMessage();
        assertTrue(message.contains("a.txt:2: value 3: 'x' is not a finite number in: 1 2 x 4 b"), message);
        assertFalse(Files.exists(dir.resolve("failed").resolve(DatasetManifest.FILE_NAME)));
    }

    @Test
    void anEmptyInputIsRefused(@TempDir Path dir) throws IOException {
        Path data = Files.createFile(dir.resolve("empty.txt"));
        InputDataException e = assertThrows(InputDataException.class,
                () -> PrepareJob.run(sc, config(data, rowBlocks()), dir.resolve("o").toString(), false, Map.of()));
        assertTrue(e.getMessage().contains("the input is empty"), e.getMessage());
    }

    /**
     * Synthetic control with its first 100 lines repeated at the end: the random split sends some copies to
     * another split than their originals. They are counted per pair of splits and reported (warn, the default
     * for a random split), and refused with split.duplicatesAcrossSplits = fail.
     */
    @Test
    void repeatedLinesThatTheRandomSplitSeparatesAreCountedPerPairOfSplits(@TempDir Path dir) throws IOException {
        List<String> raw = Files.readAllLines(SparkTestContext.shippedData("synthetic_control/synthetic_control.data"),
                StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) lines.add(raw.get(i).strip() + " " + i / 100);
        lines.addAll(lines.subList(0, 100));
        Path data = dir.resolve("repeated.data");
        Files.write(data, lines, StandardCharsets.UTF_8);
        SequencesConfig labelled = new SequencesConfig("\\s+", 1, SequencesConfig.Label.LAST_FIELD, 100, List.of());

        long[] expected = new long[3];
        for (int n = 1; n <= 100; n++) {
            int a = splitOf(n);
            int b = splitOf(600 + n);
            if (a == b) continue;
            expected[Math.min(a, b) == 0 ? (Math.max(a, b) == 1 ? 0 : 1) : 2]++;
        }
        assertTrue(expected[0] + expected[1] + expected[2] > 10, java.util.Arrays.toString(expected));
        DatasetManifest m = PrepareJob.run(sc, config(data, labelled), dir.resolve("warned").toString(), false,
                Map.of());
        assertEquals(expected[0], m.counts().get("duplicatesAcrossSplits.train-validation"));
        assertEquals(expected[1], m.counts().get("duplicatesAcrossSplits.train-test"));
        assertEquals(expected[2], m.counts().get("duplicatesAcrossSplits.validation-test"));

        PrepareConfig failing = withDuplicates(config(data, labelled),
                SplitConfig.DuplicatesAcrossSplits.FAIL);
        InputDataException e = inputError(assertThrows(Exception.class, () -> PrepareJob.run(sc, failing,
                dir.resolve("failed").toString(), false, Map.of())));
        String message = e.getMessage();
        assertTrue(message.split("repeated\\.data:").length == 3, message);
    }

    /** The split of a line of file 0 under the random split of {@link #config}. */
    private static int splitOf(long line) {
        double u = Hashing.unit(SEED, 0, line);
        return u < 0.6 ? 0 : u < 0.8 ? 1 : 2;
    }

    /** Row blocks restart in every file: a file cut in two parts would be labelled wrong without a word. */
    @Test
    void rowBlockLabelsAreRefusedForSeveralFiles(@TempDir Path dir) throws IOException {
        List<String> lines = Files.readAllLines(SparkTestContext.shippedData("synthetic_control/synthetic_control.data"),
                StandardCharsets.UTF_8);
        Path parts = Files.createDirectories(dir.resolve("parts"));
        Files.write(parts.resolve("a.data"), lines.subList(0, 300), StandardCharsets.UTF_8);
        Files.write(parts.resolve("b.data"), lines.subList(300, 600), StandardCharsets.UTF_8);
        Exception e = assertThrows(Exception.class, () -> PrepareJob.run(sc, config(parts, rowBlocks()),
                dir.resolve("o").toString(), false, Map.of()));
        Throwable c = e;
        while (!(c instanceof io.sparklstm.prep.config.InvalidSettingsException) && c.getCause() != null) c = c.getCause();
        assertTrue(c.getMessage().startsWith("sequences.label = \"row_block\" is invalid for input.path = "), c.getMessage());
        assertTrue(c.getMessage().contains("which matches 2 files"), c.getMessage());
    }
}
