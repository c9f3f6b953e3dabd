package io.sparklstm.prep.ts;

import io.sparklstm.model.data.DatasetManifest;
import io.sparklstm.prep.InputDataException;
import io.sparklstm.prep.PrepareJob;
import io.sparklstm.prep.SparkPrepareIT;
import io.sparklstm.prep.SparkTestContext;
import io.sparklstm.prep.config.DatasetKind;
import io.sparklstm.prep.config.InputConfig;
import io.sparklstm.prep.config.PrepareConfig;
import io.sparklstm.prep.config.SequencesConfig;
import io.sparklstm.prep.config.SplitConfig;
import io.sparklstm.prep.config.TimeSeriesConfig;
import io.sparklstm.prep.config.TsConfig;
import io.sparklstm.prep.export.Hashing;
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
        // input.header = true and the sequences settings are deliberately unrelated: the ts kind must ignore them
        return new PrepareConfig(DatasetKind.TS, new InputConfig(input.toString(), ",", true, "UTF-8"),
                new TimeSeriesConfig("date", "yyyy-MM-dd", List.of(), List.of(), 4, 2, 1, 100,
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

    @Test
    void aTestFileWithOtherClassesIsRefusedByName(@TempDir Path dir) throws IOException {
        Path other = dir.resolve("other_TEST.ts");
        Files.write(other, List.of("@dimensions 12", "@classLabel true 1 2 3", "@data"), StandardCharsets.UTF_8);
        InputDataException e = assertThrows(InputDataException.class,
                () -> PrepareJob.run(sc, config(TRAIN, other.toString(), List.of(0.8, 0.2, 0.0)),
                        dir.resolve("o").toString(), false, Map.of()));
        assertTrue(e.getMessage().contains("other_TEST.ts: @classLabel [1, 2, 3] differs"), e.getMessage());
    }

    @Test
    void aFileCannotBeBothInputAndTest(@TempDir Path dir) {
        InputDataException e = assertThrows(InputDataException.class,
                () -> PrepareJob.run(sc, config(TRAIN, TRAIN.getParent().resolve("*.ts").toString(),
                        List.of(0.8, 0.2, 0.0)), dir.resolve("o").toString(), false, Map.of()));
        assertTrue(e.getMessage().startsWith("ts.testPath ") && e.getMessage().contains("JapaneseVowels_TRAIN.ts:"
                + " a case cannot be in training and test"), e.getMessage());
    }

}
