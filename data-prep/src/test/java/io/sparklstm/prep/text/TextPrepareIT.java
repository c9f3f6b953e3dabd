package io.sparklstm.prep.text;

import io.sparklstm.model.Task;
import io.sparklstm.model.data.DatasetManifest;
import io.sparklstm.prep.SparkPrepareIT;
import io.sparklstm.prep.config.DatasetKind;
import io.sparklstm.prep.config.InputConfig;
import io.sparklstm.prep.config.PrepareConfig;
import io.sparklstm.prep.config.SequencesConfig;
import io.sparklstm.prep.config.SplitConfig;
import io.sparklstm.prep.config.TextConfig;
import io.sparklstm.prep.config.TimeSeriesConfig;
import io.sparklstm.prep.config.TsConfig;
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
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Character-level text with a real local Spark: generated text, read back from the minibatch files. */
class TextPrepareIT extends SparkPrepareIT {

    private static final int STEPS = 20;

    static PrepareConfig config(Path input, TextConfig text, double... fractions) {
        return new PrepareConfig(DatasetKind.TEXT, new InputConfig(input.toString(), ",", false, "UTF-8"),
                new TimeSeriesConfig("date", "yyyy-MM-dd", List.of(), List.of(), 4, 2, 1,
                        TimeSeriesConfig.TargetOffset.NONE),
                new SequencesConfig("\\s+", 1, SequencesConfig.Label.LAST_FIELD, 1, List.of()), new TsConfig(""),
                new SplitConfig(SplitConfig.Method.TIME, List.of(fractions[0], fractions[1], fractions[2]), "", "", ""),
                false, 8, 5L, text);
    }

    /** Lines of random lengths over {@code alphabet}; no line end after the last line. */
    static String text(int lines, String alphabet, long seed) {
        Random r = new Random(seed);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            if (i > 0) s.append('\n');
            int n = r.nextInt(40);
            for (int j = 0; j < n; j++) s.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /** Each example of a split as the characters it reads followed by the last one it predicts. */
    static List<String> decoded(Path dataset, DatasetManifest m, String split) throws IOException {
        List<String> names = m.classNames();
        List<String> out = new ArrayList<>();
        for (String file : m.split(split).files()) {
            DataSet ds = new DataSet();
            ds.load(dataset.resolve(file).toFile());
            INDArray f = ds.getFeatures();
            INDArray l = ds.getLabels();
            INDArray mask = ds.getLabelsMaskArray();
            assertEquals(3, l.rank(), "labels at every step");
            for (int i = 0; i < f.size(0); i++) {
                StringBuilder read = new StringBuilder();
                StringBuilder predicted = new StringBuilder();
                for (int t = 0; t < f.size(2); t++) {
                    if (mask != null && mask.getDouble(i, t) == 0) continue;
                    read.append(names.get(argmax(f, i, t)));
                    predicted.append(names.get(argmax(l, i, t)));
                }
                // the label at step t is the input at step t + 1
                assertEquals(read.substring(1), predicted.substring(0, predicted.length() - 1),
                        split + " example " + i + " of " + file);
                out.add(read + predicted.substring(predicted.length() - 1));
            }
        }
        return out;
    }

    private static int argmax(INDArray a, int i, int t) {
        int best = -1;
        for (int c = 0; c < a.size(1); c++) {
            if (a.getDouble(i, c, t) == 1.0) {
                assertEquals(-1, best, "one-hot at example " + i + ", step " + t);
                best = c;
            }
        }
        assertTrue(best >= 0, "one-hot at example " + i + ", step " + t);
        return best;
    }

    /** The sequences of a block, derived here independently: stride STEPS, the last one reaching the end. */
    static List<String> expected(String block) {
        List<String> out = new ArrayList<>();
        for (int start = 0; start + 1 < block.length(); start += STEPS) {
            out.add(block.substring(start, Math.min(block.length(), start + STEPS + 1)));
        }
        return out;
    }

    @Test
    void sequencesPredictTheNextCharacterAndCoverEachBlockWithoutCrossingIt(@TempDir Path dir) throws IOException {
        String text = text(120, "abcdefg hij", 1);
        Path input = Files.writeString(dir.resolve("input.txt"), text, StandardCharsets.UTF_8);
        Path out = dir.resolve("out");
        PrepareConfig config = config(input, TextConfig.DEFAULTS.withSteps(STEPS), 0.8, 0.1, 0.1);
        DatasetManifest m = PrepareJob.run(sc, config, out.toString(), false, Map.of());

        int n = text.length();
        int b1 = (int) Math.floor(n * 0.8);
        int b2 = (int) Math.floor(n * 0.9);
        assertEquals(Task.STEP_CLASSIFICATION, m.task());
        assertEquals(STEPS, m.windowSteps());
        assertEquals((long) n, m.counts().get("characters"), "the last line has no line end, and gets none");
        assertEquals((long) b1 - 1, m.counts().get("predictedCharacters.train"));
        String[] blocks = {text.substring(0, b1), text.substring(b1, b2), text.substring(b2)};
        String[] splits = {"train", "validation", "test"};
        for (int s = 0; s < 3; s++) {
            List<String> got = decoded(out, m, splits[s]);
            List<String> want = expected(blocks[s]);
            if (s == 0) {
                got.sort(null);
                want.sort(null);
            }
            assertEquals(want, got, splits[s] + ": every character of the block, in sequences that stay in it");
            assertEquals(want.size(), m.split(splits[s]).examples());
            // a sequence reads one character fewer than it spans; a block's last one may be short, and masked
            assertLengths(out, splits[s], want.stream().map(w -> w.length() - 1).toList());
        }

        DatasetManifest again = PrepareJob.run(sc, config, dir.resolve("again").toString(), false, Map.of());
        assertEquals(m.splits(), again.splits());
        assertEquals(m.counts(), again.counts());
        for (String split : splits) {
            for (String file : m.split(split).files()) {
                assertArrayEquals(Files.readAllBytes(out.resolve(file)),
                        Files.readAllBytes(dir.resolve("again").resolve(file)), "a rerun writes the same " + file);
            }
        }
    }

    @Test
    void theVocabularyComesFromTheTrainingBlockOnly(@TempDir Path dir) throws IOException {
        // 'z' and 'Q' appear only after the training block
        String text = text(80, "abc d\te", 2) + "\n" + text(20, "abcz Q", 3) + "\n";
        Path input = Files.writeString(dir.resolve("input.txt"), text, StandardCharsets.UTF_8);
        TextConfig unknown = new TextConfig(STEPS, 0, TextConfig.UnseenCharacters.UNKNOWN);
        DatasetManifest m = PrepareJob.run(sc, config(input, unknown, 0.7, 0.15, 0.15), dir.resolve("o").toString(),
                false, Map.of());
        int b1 = (int) Math.floor(text.length() * 0.7);
        List<String> expected = new ArrayList<>(text.substring(0, b1).chars().distinct().sorted()
                .mapToObj(c -> String.valueOf((char) c)).toList());
        expected.add(TextConfig.UNKNOWN_CLASS);
        assertEquals(expected, m.classNames());
        assertEquals(m.classNames(), m.featureNames());
        long unseen = text.substring(b1).chars().filter(c -> c == 'z' || c == 'Q').count();
        assertTrue(unseen > 0);
        assertEquals(unseen, m.counts().get("unseenCharacters.validation") + m.counts().get("unseenCharacters.test"));

        Exception e = assertThrows(Exception.class, () -> PrepareJob.run(sc,
                config(input, new TextConfig(STEPS, 0, TextConfig.UnseenCharacters.ERROR), 0.7, 0.15, 0.15),
                dir.resolve("e").toString(), false, Map.of()));
        int firstUnseen = Math.min(text.indexOf('z') < 0 ? text.length() : text.indexOf('z'),
                text.indexOf('Q') < 0 ? text.length() : text.indexOf('Q'));
        long line = text.substring(0, firstUnseen).chars().filter(c -> c == '\n').count() + 1;
        String message = inputError(e).getMessage();
        assertTrue(message.contains("input.txt:" + line + ": character") && message.contains("not in the training split")
                && message.contains("text.unseenCharacters"), message);
    }

    @Test
    void overlappingSequencesAndSeveralFilesMakeOneText(@TempDir Path dir) throws IOException {
        Path files = Files.createDirectories(dir.resolve("in"));
        String first = text(30, "abcdef", 4) + "\r\n";
        String second = text(30, "abcdef", 5);
        Files.writeString(files.resolve("part-1.txt"), first, StandardCharsets.UTF_8);
        Files.writeString(files.resolve("part-2.txt"), second, StandardCharsets.UTF_8);
        String whole = first.replace("\r\n", "\n") + second;
        DatasetManifest m = PrepareJob.run(sc, config(files, new TextConfig(STEPS, 5, TextConfig.UnseenCharacters.UNKNOWN),
                1.0, 0.0, 0.0), dir.resolve("o").toString(), false, Map.of());
        assertEquals((long) whole.length(), m.counts().get("characters"));
        List<String> got = decoded(dir.resolve("o"), m, "train");
        got.sort(null);
        List<String> want = new ArrayList<>();
        for (int start = 0; ; start += 5) {
            int end = Math.min(whole.length(), start + STEPS + 1);
            want.add(whole.substring(start, end));
            if (end == whole.length()) break;
        }
        want.sort(null);
        assertEquals(want, got);
    }

    @Test
    void aStrideLongerThanASequenceIsRefusedByKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TextConfig(10, 11, TextConfig.UnseenCharacters.ERROR));
        assertTrue(e.getMessage().startsWith("text.strideSteps = 11"), e.getMessage());
    }

    @Test
    void aTooShortTrainingBlockIsAnInputError(@TempDir Path dir) throws IOException {
        Path input = Files.writeString(dir.resolve("tiny.txt"), "ab", StandardCharsets.UTF_8);
        InputDataException e = assertThrows(InputDataException.class, () -> PrepareJob.run(sc,
                config(input, TextConfig.DEFAULTS, 0.5, 0.5, 0.0), dir.resolve("o").toString(), false, Map.of()));
        assertTrue(e.getMessage().contains("training block has 1 characters"), e.getMessage());
    }

    /** Text cannot quarantine: bytes that are not valid in input.encoding stop the job, naming file and line. */
    @Test
    void aLineNotValidInTheEncodingFailsNamingFileAndLine(@TempDir Path dir) throws IOException {
        String good = text(30, "abcdef ", 3L);
        Path input = dir.resolve("latin1.txt");
        Files.write(input, (good + "\ncaf\u00e9\n").getBytes(StandardCharsets.ISO_8859_1));
        Exception e = assertThrows(Exception.class, () -> PrepareJob.run(sc,
                config(input, TextConfig.DEFAULTS, 0.6, 0.2, 0.2), dir.resolve("o").toString(), false, Map.of()));
        String message = inputError(e).getMessage();
        assertTrue(message.contains("latin1.txt:31: the line is not valid UTF-8 text (set input.encoding"), message);
    }
}
