package io.sparklstm.prep;

import io.sparklstm.model.data.DatasetManifest;
import io.sparklstm.prep.config.DatasetKind;
import io.sparklstm.prep.config.InputConfig;
import io.sparklstm.prep.config.PrepareConfig;
import io.sparklstm.prep.config.SequencesConfig;
import io.sparklstm.prep.config.SplitConfig;
import io.sparklstm.prep.config.TextConfig;
import io.sparklstm.prep.config.TimeSeriesConfig;
import io.sparklstm.prep.config.TsConfig;
import io.sparklstm.prep.job.PrepareJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files as spreadsheets and editors write them: a UTF-8 byte-order mark (Excel's "CSV UTF-8"), CRLF line ends,
 * a header and no data. Each prepares exactly like the plain file, or fails naming the file.
 */
class EditorFilesIT extends SparkPrepareIT {

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /** {@code text} in UTF-8 after a byte-order mark. */
    private static Path withByteOrderMark(Path file, String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(BOM);
        bytes.write(text.getBytes(StandardCharsets.UTF_8));
        return Files.write(file, bytes.toByteArray());
    }

    private static PrepareConfig config(DatasetKind kind, Path input, boolean header, SequencesConfig seq,
                                        SplitConfig split) {
        return new PrepareConfig(kind, new InputConfig(input.toString(), ",", header, "UTF-8"),
                new TimeSeriesConfig("date", "yyyy-MM-dd HH:mm:ss", List.of(), List.of(), 8, 2, 1,
                        TimeSeriesConfig.TargetOffset.NONE),
                seq, new TsConfig(""), split, true, 16, 7L,
                new TextConfig(20, 0, TextConfig.UnseenCharacters.UNKNOWN));
    }

    private static PrepareConfig timeseries(Path input) {
        return config(DatasetKind.TIMESERIES, input, true, rowBlocks(),
                new SplitConfig(SplitConfig.Method.TIME, List.of(0.7, 0.15, 0.15), "", "", ""));
    }

    private static SequencesConfig rowBlocks() {
        return new SequencesConfig("\\s+", 1, SequencesConfig.Label.ROW_BLOCK, 100, List.of());
    }

    private static PrepareConfig sequences(Path input, boolean header) {
        return config(DatasetKind.SEQUENCES, input, header, rowBlocks(),
                new SplitConfig(SplitConfig.Method.RANDOM, List.of(0.6, 0.2, 0.2), "", "", ""));
    }

    private static PrepareConfig text(Path input) {
        return config(DatasetKind.TEXT, input, false, rowBlocks(),
                new SplitConfig(SplitConfig.Method.TIME, List.of(0.8, 0.1, 0.1), "", "", ""));
    }

    private static DatasetManifest prepare(PrepareConfig config, Path out) {
        return PrepareJob.run(sc, config, out.toString(), false, Map.of());
    }

    /** What must not change between two preparations of the same data written differently. */
    private static void assertSameData(DatasetManifest expected, DatasetManifest actual) {
        assertEquals(expected.featureNames(), actual.featureNames());
        assertEquals(expected.classNames(), actual.classNames());
        assertEquals(expected.normalizer().columns(), actual.normalizer().columns());
        // the files split at other rows, so partial sums add up in another order: equal to rounding
        assertArrayEquals(expected.normalizer().mean(), actual.normalizer().mean(), 1e-9);
        assertArrayEquals(expected.normalizer().std(), actual.normalizer().std(), 1e-9);
        assertEquals(expected.counts(), actual.counts());
        expected.splits().forEach((name, split) -> {
            assertEquals(split.examples(), actual.split(name).examples(), name);
            assertEquals(split.rows(), actual.split(name).rows(), name);
        });
    }

    @Test
    void anExcelCsvWithByteOrderMarkAndCrlfPreparesLikeThePlainFile(@TempDir Path dir) throws IOException {
        List<String> lines = Files.readAllLines(SparkTestContext.shippedData("etth1/ETTh1.csv"), StandardCharsets.UTF_8)
                .subList(0, 501);
        Path plain = Files.write(dir.resolve("plain.csv"), lines, StandardCharsets.UTF_8);
        Path excel = withByteOrderMark(dir.resolve("excel.csv"), String.join("\r\n", lines) + "\r\n");

        DatasetManifest expected = prepare(timeseries(plain), dir.resolve("plain"));
        DatasetManifest actual = prepare(timeseries(excel), dir.resolve("excel"));
        assertEquals(List.of("HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL", "OT"), actual.featureNames());
        assertSameData(expected, actual);
    }

    /** Hadoop's line reader skips the mark; without that, the first value would not be a number. */
    @Test
    void sequencesAndTextWithByteOrderMarkAndCrlfReadNoMarkCharacter(@TempDir Path dir) throws IOException {
        // synthetic_control has CRLF line ends; two blocks of 100 lines are two classes
        List<String> lines = Files.readAllLines(SparkTestContext.shippedData("synthetic_control/synthetic_control.data"),
                StandardCharsets.UTF_8).subList(0, 200);
        Path marked = withByteOrderMark(dir.resolve("marked.data"), String.join("\r\n", lines) + "\r\n");
        DatasetManifest seq = prepare(sequences(marked, false), dir.resolve("seq"));
        assertEquals(200, seq.counts().get("sequencesRead"));

        String prose = "It was the best of times,\nit was the worst of times,\nit was the age of wisdom.\n".repeat(8);
        Path markedText = withByteOrderMark(dir.resolve("marked.txt"), prose.replace("\n", "\r\n"));
        DatasetManifest text = prepare(text(markedText), dir.resolve("text"));
        assertEquals(prose.length(), text.counts().get("characters"));
        assertTrue(text.classNames().stream().noneMatch(c -> c.contains("\uFEFF")), text.classNames().toString());
    }

    @Test
    void aSequencesFileWithOnlyAHeaderIsAnInputErrorNamingIt(@TempDir Path dir) throws IOException {
        Path input = Files.writeString(dir.resolve("header-only.txt"), "v1 v2 v3 v4\r\n", StandardCharsets.UTF_8);
        Exception e = assertThrows(Exception.class, () -> prepare(sequences(input, true), dir.resolve("out")));
        String message = inputError(e).getMessage();
        assertTrue(message.contains("header-only.txt") && message.contains("no data lines"), message);
        assertTrue(Files.notExists(dir.resolve("out/manifest.json")));
    }
}
