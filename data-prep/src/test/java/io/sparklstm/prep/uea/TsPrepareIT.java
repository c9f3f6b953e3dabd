package io.sparklstm.prep.uea;

import io.sparklstm.model.data.DatasetManifest;
import io.sparklstm.prep.Rejection;
import io.sparklstm.prep.SparkPrepareIT;
import io.sparklstm.prep.SparkTestContext;
import io.sparklstm.prep.config.DatasetKind;
import io.sparklstm.prep.config.InputConfig;
import io.sparklstm.prep.config.InvalidSettingsException;
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
import org.nd4j.linalg.api.ndarray.INDArray;
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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prepares the real UEA JapaneseVowels files (variable-length, 12 channels, 9 classes) with a real local Spark. */
class TsPrepareIT extends SparkPrepareIT {

    private static final long SEED = 4242L;
    private static final int MINIBATCH = 32;
    private static final Path TRAIN = SparkTestContext.shippedData("uea/JapaneseVowels_TRAIN.ts");
    private static final Path TEST = SparkTestContext.shippedData("uea/JapaneseVowels_TEST.ts");



    static PrepareConfig config(Path input, String testPath, List<Double> fractions) {
        return config(input, testPath, fractions, InputConfig.BadRecords.FAIL);
    }

    static PrepareConfig config(Path input, String testPath, List<Double> fractions,
                                InputConfig.BadRecords onBadRecord) {
        // input.header = true and the sequences settings are deliberately unrelated: the ts kind must ignore them
        return new PrepareConfig(DatasetKind.TS, new InputConfig(input.toString(), ",", true, "UTF-8",
                InputConfig.Format.CSV, InputConfig.DEFAULT_NA_TOKENS, List.of(), onBadRecord),
                new TimeSeriesConfig("date", "yyyy-MM-dd", List.of(), List.of(), 4, 2, 1,
                        TimeSeriesConfig.TargetOffset.NONE),
                new SequencesConfig("\\s+", 1, SequencesConfig.Label.ROW_BLOCK, 100, List.of()),
                new TsConfig(testPath), new SplitConfig(SplitConfig.Method.RANDOM, fractions, "", "", ""), true,
                MINIBATCH, SEED);
    }

    /** A case as read by plain Java: line number, steps, channel-major values. */
    record Case(int line, int steps, int label, double[] values) {
    }

    static List<Case> readCases(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Case> cases = new ArrayList<>();
        boolean data = false;
        for (int n = 1; n <= lines.size(); n++) {
            String text = lines.get(n - 1).strip();
            if (!data) {
                data = text.equalsIgnoreCase("@data");
                continue;
            }
            if (text.isEmpty()) continue;
            String[] parts = text.split(":");
            int steps = parts[0].split(",").length;
            double[] values = new double[12 * steps];
            for (int c = 0; c < 12; c++) {
                String[] v = parts[c].split(",");
                for (int t = 0; t < steps; t++) values[c * steps + t] = Double.parseDouble(v[t]);
            }
            cases.add(new Case(n, steps, Integer.parseInt(parts[12]) - 1, values));
        }
        return cases;
    }

    @Test
    void japaneseVowelsTrainFileIsTrainAndValidationTestFileIsTest(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("out");
        DatasetManifest m = PrepareJob.run(sc, config(TRAIN, TEST.toString(), List.of(0.85, 0.15, 0.0)),
                out.toString(), false, Map.of());
        assertEquals("ts", m.kind());
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8", "9"), m.classNames());
        assertEquals(12, m.featureNames().size());
        assertEquals(29, m.windowSteps());
        assertEquals(270, m.split("train").examples() + m.split("validation").examples());
        assertEquals(370, m.split("test").examples());
        assertEquals(7L, m.counts().get("minSteps"));
        assertEquals(29L, m.counts().get("maxSteps"));
        assertEquals(640L, m.counts().get("casesRead"));
        assertEquals(88L, m.counts().get("class.3.test"));
        assertEquals(30L + 88L, m.counts().get("class.3"));
        assertEquals(TEST.toString(), m.source().get("testPath"));

        // The split follows the seeded hash of (file 0, line) with train share 0.85 / (0.85 + 0.15).
        List<Case> trainFile = readCases(TRAIN);
        List<Case> train = trainFile.stream().filter(c -> Hashing.unit(SEED, 0, c.line()) < 0.85).toList();
        assertEquals(train.size(), m.split("train").examples());
        assertTrue(m.split("validation").examples() > 20, "validation " + m.split("validation").examples());

        // The lengths per split, and the batches that mix lengths carry masks.
        assertLengths(out, "train", train.stream().map(Case::steps).toList());
        assertLengths(out, "validation", trainFile.stream().filter(c -> !train.contains(c)).map(Case::steps).toList());
        assertLengths(out, "test", readCases(TEST).stream().map(Case::steps).toList());
        assertTrue(writtenSplit(out, "test").get("maskedBatches").asLong() > 0);

        // The normalizer is the population mean and std per channel over all steps of the training cases only.
        for (int ch = 0; ch < 12; ch++) {
            double sum = 0, squares = 0;
            long n = 0;
            for (Case c : train) {
                for (int t = 0; t < c.steps(); t++) {
                    double v = c.values()[ch * c.steps() + t];
                    sum += v;
                    squares += v * v;
                    n++;
                }
            }
            double mean = sum / n;
            double std = Math.sqrt(squares / n - mean * mean);
            assertEquals(mean, m.normalizer().mean()[ch], 1e-9 * Math.max(1, Math.abs(mean)), "mean " + ch);
            assertEquals(std, m.normalizer().std()[ch], 1e-9 * Math.max(1, std), "std " + ch);
        }

        // Test files are in file order: the first holds the first 32 test cases, padded and masked.
        List<Case> testCases = readCases(TEST);
        DataSet first = new DataSet();
        first.load(out.resolve(m.split("test").files().get(0)).toFile());
        INDArray features = first.getFeatures();
        INDArray mask = first.getFeaturesMaskArray();
        int longest = testCases.subList(0, MINIBATCH).stream().mapToInt(Case::steps).max().orElseThrow();
        assertTrue(testCases.subList(0, MINIBATCH).stream().anyMatch(c -> c.steps() != longest));
        assertEquals(List.of((long) MINIBATCH, 12L, (long) longest), List.of(features.shape()[0], features.shape()[1],
                features.shape()[2]));
        assertEquals(List.of((long) MINIBATCH, (long) longest), List.of(mask.shape()[0], mask.shape()[1]));
        for (int i = 0; i < MINIBATCH; i++) {
            Case c = testCases.get(i);
            assertEquals(c.steps(), mask.getRow(i).sumNumber().intValue(), "mask of case " + i);
            assertEquals(1.0, first.getLabels().getDouble(i, c.label()), "label of case " + i);
            for (int ch = 0; ch < 12; ch++) {
                double expected = (c.values()[ch * c.steps()] - m.normalizer().mean()[ch]) / m.normalizer().std()[ch];
                assertEquals(expected, features.getDouble(i, ch, 0), 1e-5);
                for (int t = c.steps(); t < longest; t++) {
                    assertEquals(0.0, features.getDouble(i, ch, t), "padding of case " + i);
                    assertEquals(0.0, mask.getDouble(i, t));
                }
            }
        }
    }

    @Test
    void withoutATestPathTheInputIsSplitThreeWays(@TempDir Path dir) {
        DatasetManifest m = PrepareJob.run(sc, config(TRAIN, "", List.of(0.6, 0.2, 0.2)),
                dir.resolve("out").toString(), false, Map.of());
        long train = m.split("train").examples();
        long validation = m.split("validation").examples();
        long test = m.split("test").examples();
        assertEquals(270, train + validation + test);
        assertTrue(test > 30 && validation > 30 && train > 120, train + "/" + validation + "/" + test);
        assertNull(m.source().get("testPath"));
    }

    @Test
    void aLabelTheHeaderDoesNotListFailsWithFileAndLine(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad_TRAIN.ts");
        Files.write(bad, List.of("#comment", "@problemName Bad", "@dimensions 2", "@classLabel true x y", "@data",
                "1,2:3,4:x", "", "5,6,7:8,9,10:y", "1:2:z", "3:4:x"), StandardCharsets.UTF_8);
        Exception e = assertThrows(Exception.class,
                () -> PrepareJob.run(sc, config(bad, "", List.of(0.5, 0.5, 0.0)), dir.resolve("o").toString(), false,
                        Map.of()));
        String message = inputError(e).getMessage();
        assertTrue(message.contains("bad_TRAIN.ts:9: label 'z' is not one of the classes [x, y]"), message);
        assertTrue(!Files.exists(dir.resolve("o/manifest.json")));
    }

    /**
     * A training and a test file with malformed case lines of every kind: with quarantine each is in rejected/
     * with its reason, file, line and text and in no other count; with fail the first one stops the job.
     */
    @Test
    void malformedCasesAreQuarantinedWithTheirReasonsAndFailStopsAtTheFirst(@TempDir Path dir) throws IOException {
        List<String> header = List.of("# two channels", "@problemName Messy", "@dimensions 2", "@missing false",
                "@classLabel true x y", "@data");
        List<String> train = new ArrayList<>(header);
        train.addAll(List.of(
                "1,2,3:4,5,6:x",
                "1,2:3,4:5,6:x",
                "1,2,3:4,5:y",
                "# a comment is not a case",
                "1,?:3,4:x",
                "",
                "1,abc:3,4:y",
                "1,2:3,4:z",
                "no label here"));
        List<String> test = new ArrayList<>(header);
        for (int i = 0; i < 40; i++) {
            String steps = i % 4 == 0 ? "," + i : "";
            train.add(i + "," + (i % 3) + steps + ":" + (-i) + "," + (0.5 * i) + steps + ":" + (i % 3 == 0 ? "y" : "x"));
            test.add((i % 5) + ":" + (i * 2) + ":" + (i % 2 == 0 ? "x" : "y"));
        }
        test.set(header.size() + 10, "1,2:3,4:5:x");
        Path trainFile = dir.resolve("messy_TRAIN.ts");
        Path testFile = dir.resolve("messy_TEST.ts");
        Files.write(trainFile, train, StandardCharsets.UTF_8);
        Files.write(testFile, test, StandardCharsets.UTF_8);
        List<Rejection> expected = List.of(
                new Rejection("messy_TRAIN.ts", 8, "3 channel(s) where the header's @dimensions is 2", "1,2:3,4:5,6:x"),
                new Rejection("messy_TRAIN.ts", 9, "channel 2 has 2 values where channel 1 has 3 (all channels of a"
                        + " case must have the same length)", "1,2,3:4,5:y"),
                new Rejection("messy_TRAIN.ts", 11, "channel 1, step 2: '?' is a missing value but the header says"
                        + " @missing false", "1,?:3,4:x"),
                new Rejection("messy_TRAIN.ts", 13, "channel 1, step 2: 'abc' is not a finite number", "1,abc:3,4:y"),
                new Rejection("messy_TRAIN.ts", 14, "label 'z' is not one of the classes [x, y] of the header's"
                        + " @classLabel", "1,2:3,4:z"),
                new Rejection("messy_TRAIN.ts", 15, "no ':' before the class label (a case is channels separated by"
                        + " ':', values by ',', then ':' and the label)", "no label here"),
                new Rejection("messy_TEST.ts", 17, "3 channel(s) where the header's @dimensions is 2", "1,2:3,4:5:x"));

        Path out = dir.resolve("quarantined");
        DatasetManifest m = PrepareJob.run(sc, config(trainFile, testFile.toString(), List.of(0.7, 0.3, 0.0),
                InputConfig.BadRecords.QUARANTINE), out.toString(), false, Map.of());
        assertEquals(expected, rejected(out));
        // case lines: not the header, a comment or blank
        long trainRead = train.size() - header.size() - 2;
        long testRead = test.size() - header.size();
        long good = trainRead + testRead - expected.size();
        assertEquals((long) expected.size(), m.counts().get("rejectedRecords"));
        assertEquals(good, m.counts().get("casesRead"));
        assertEquals(good, m.split("train").examples() + m.split("validation").examples() + m.split("test").examples());
        assertEquals(testRead - 1, m.split("test").examples());
        assertEquals(1L, m.counts().get("minSteps"));
        assertEquals(3L, m.counts().get("maxSteps"));

        // The well-formed cases by plain Java: the classes, and which input cases hash to train.
        long classX = 0;
        long trainCases = 0;
        for (int n = header.size() + 1; n <= train.size(); n++) {
            String text = train.get(n - 1);
            int line = n;
            if (text.isBlank() || text.startsWith("#") || expected.stream().anyMatch(r -> r.line() == line
                    && r.file().equals("messy_TRAIN.ts"))) {
                continue;
            }
            if (text.endsWith(":x")) classX++;
            if (Hashing.unit(SEED, 0, n) < 0.7) trainCases++;
        }
        for (int n = header.size() + 1; n <= test.size(); n++) {
            if (n != 17 && test.get(n - 1).endsWith(":x")) classX++;
        }
        assertEquals(classX, m.counts().get("class.x"));
        assertEquals(good - classX, m.counts().get("class.y"));
        assertEquals(trainCases, m.split("train").examples());

        Exception e = assertThrows(Exception.class,
                () -> PrepareJob.run(sc, config(trainFile, testFile.toString(), List.of(0.7, 0.3, 0.0)),
                        dir.resolve("failed").toString(), false, Map.of()));
        // the files are read in parallel: the job stops at the first bad line of the task that meets one first
        String message = inputError(e).getMessage();
        assertTrue(message.contains("messy_TRAIN.ts:8: 3 channel(s) where the header's @dimensions is 2 in:"
                + " 1,2:3,4:5,6:x") || message.contains("messy_TEST.ts:17: 3 channel(s) where the header's"
                + " @dimensions is 2 in: 1,2:3,4:5:x"), message);
        assertFalse(Files.exists(dir.resolve("failed").resolve(DatasetManifest.FILE_NAME)));
    }

    @Test
    void aTestFileWithOtherClassesIsRefusedByName(@TempDir Path dir) throws IOException {
        Path other = dir.resolve("other_TEST.ts");
        Files.write(other, List.of("@dimensions 12", "@classLabel true 1 2 3", "@data"), StandardCharsets.UTF_8);
        InputDataException e = assertThrows(InputDataException.class,
                () -> PrepareJob.run(sc, config(TRAIN, other.toString(), List.of(0.8, 0.2, 0.0)),
                        dir.resolve("o").toString(), false, Map.of()));
        assertTrue(e.getMessage().contains("other_TEST.ts: @classLabel [1, 2, 3] differs"), e.getMessage());
    }

    /** The header of JapaneseVowels_TRAIN.ts and its first {@code cases} cases (0: a file without cases). */
    private static List<String> trainSlice(int cases) throws IOException {
        List<String> lines = Files.readAllLines(TRAIN, StandardCharsets.UTF_8);
        int data = 0;
        while (!lines.get(data).strip().equalsIgnoreCase("@data")) data++;
        return lines.subList(0, data + 1 + cases);
    }

    @Test
    void aTsFileWithoutCasesAmongOthersIsAnInputErrorNamingIt(@TempDir Path dir) throws IOException {
        Path inputs = Files.createDirectory(dir.resolve("in"));
        Files.write(inputs.resolve("a.ts"), trainSlice(30), StandardCharsets.UTF_8);
        Files.write(inputs.resolve("b_headerOnly.ts"), trainSlice(0), StandardCharsets.UTF_8);
        for (InputConfig.BadRecords onBadRecord : InputConfig.BadRecords.values()) {
            Exception e = assertThrows(Exception.class, () -> PrepareJob.run(sc,
                    config(inputs, "", List.of(0.6, 0.2, 0.2), onBadRecord), dir.resolve("o").toString(), false,
                    Map.of()));
            String message = inputError(e).getMessage();
            assertTrue(message.contains("b_headerOnly.ts: no cases after @data"), onBadRecord + ": " + message);
            assertFalse(Files.exists(dir.resolve("o").resolve(DatasetManifest.FILE_NAME)));
        }
    }

    @Test
    void anInputWithoutCasesIsNamedEvenWhenTheTestFileHasSome(@TempDir Path dir) throws IOException {
        Path headerOnly = Files.write(dir.resolve("headerOnly_TRAIN.ts"), trainSlice(0), StandardCharsets.UTF_8);
        Path test = Files.write(dir.resolve("slice_TEST.ts"), trainSlice(30), StandardCharsets.UTF_8);
        Exception e = assertThrows(Exception.class, () -> PrepareJob.run(sc,
                config(headerOnly, test.toString(), List.of(0.8, 0.2, 0.0)), dir.resolve("o").toString(), false,
                Map.of()));
        String message = inputError(e).getMessage();
        assertTrue(message.contains("headerOnly_TRAIN.ts: no cases after @data"), message);
    }

    /** The same file under both keys is a mistake in the settings, not in the data: a configuration error. */
    @Test
    void aFileCannotBeBothInputAndTest(@TempDir Path dir) {
        String glob = TRAIN.getParent().resolve("*.ts").toString();
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
                () -> PrepareJob.run(sc, config(TRAIN, glob, List.of(0.8, 0.2, 0.0)), dir.resolve("o").toString(),
                        false, Map.of()));
        assertEquals("ts.testPath = \"" + glob + "\" is invalid: expected other files than input.path = \"" + TRAIN
                + "\" (both match " + TRAIN.toUri().toString().replace("file:///", "file:/")
                + "; a case cannot be in training and test)", e.getMessage());
        assertFalse(Files.exists(dir.resolve("o")), "refused before anything is written");
    }

    /**
     * The issue's case: input.path holds a copy of both archive files, and ts.testPath the test file itself, so
     * every test case is also a training or validation case. Caught before any file is written, naming a test
     * case and its copy; with split.duplicatesAcrossSplits = warn it is counted instead.
     */
    @Test
    void aCopyOfTheTestFileAmongTheTrainingFilesIsCaughtByContent(@TempDir Path dir) throws IOException {
        Path both = Files.createDirectories(dir.resolve("both"));
        Files.copy(TRAIN, both.resolve("JapaneseVowels_TRAIN.ts"));
        Files.copy(TEST, both.resolve("JapaneseVowels_TEST.ts"));
        InputDataException e = inputError(assertThrows(Exception.class, () -> PrepareJob.run(sc,
                config(both, TEST.toString(), List.of(0.85, 0.15, 0.0)), dir.resolve("out").toString(), false,
                Map.of())));
        String m = e.getMessage();
        assertTrue(m.startsWith("the same examples occur in two splits: "), m);
        assertTrue(m.matches(".*\\d+ test example\\(s\\) also in train.*"), m);
        // the first test case (line 16 of the test file, after the header) and its copy, line 16 of the copy
        assertTrue(m.contains("uea/JapaneseVowels_TEST.ts:16 (test) is the same as "), m);
        assertTrue(m.contains("both/JapaneseVowels_TEST.ts:16 ("), m);
        assertFalse(Files.exists(dir.resolve("out").resolve("train")), "nothing is written");

        PrepareConfig warn = withDuplicates(config(both, TEST.toString(), List.of(0.85, 0.15, 0.0)),
                SplitConfig.DuplicatesAcrossSplits.WARN);
        DatasetManifest manifest = PrepareJob.run(sc, warn, dir.resolve("warned").toString(), false, Map.of());
        assertEquals(370L, manifest.counts().get("duplicatesAcrossSplits.train-test")
                + manifest.counts().get("duplicatesAcrossSplits.validation-test"));
        assertEquals(640L + 370L, manifest.counts().get("casesRead"));

        DatasetManifest clean = PrepareJob.run(sc, config(TRAIN, TEST.toString(), List.of(0.85, 0.15, 0.0)),
                dir.resolve("clean").toString(), false, Map.of());
        assertEquals(0L, clean.counts().get("duplicatesAcrossSplits.train-test"));
        assertEquals(0L, clean.counts().get("duplicatesAcrossSplits.validation-test"));
    }
}
