package io.sparklstm.prep.sequences;

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
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prepares the real UCI synthetic control data with a real local Spark. */
class SequencesPrepareIT extends SparkPrepareIT {

    private static final long SEED = 99L;



    static PrepareConfig config(Path input, SequencesConfig seq) {
        return new PrepareConfig(DatasetKind.SEQUENCES, new InputConfig(input.toString(), ",", false, "UTF-8"),
                new TimeSeriesConfig("date", "yyyy-MM-dd", List.of(), List.of(), 4, 2, 1, 100, TimeSeriesConfig.TargetOffset.NONE), seq,
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

    @Test
    void aLabelColumnWithOneClassIsRefused(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("one-class.txt");
        Files.write(data, List.of("1 2 3 a", "4 5 6 a", "7 8 9 a"), StandardCharsets.UTF_8);
        SequencesConfig seq = new SequencesConfig("\\s+", 1, SequencesConfig.Label.LAST_FIELD, 1, List.of());
        Exception e = assertThrows(Exception.class,
                () -> PrepareJob.run(sc, config(data, seq), dir.resolve("o").toString(), false, Map.of()));
        assertTrue(inputError(e).getMessage().contains("'a' is neither a class name"), e.getMessage());
    }

    @Test
    void anEmptyInputIsRefused(@TempDir Path dir) throws IOException {
        Path data = Files.createFile(dir.resolve("empty.txt"));
        InputDataException e = assertThrows(InputDataException.class,
                () -> PrepareJob.run(sc, config(data, rowBlocks()), dir.resolve("o").toString(), false, Map.of()));
        assertTrue(e.getMessage().contains("the input is empty"), e.getMessage());
    }

}
