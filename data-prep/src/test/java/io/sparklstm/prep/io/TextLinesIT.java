package io.sparklstm.prep.io;

import io.sparklstm.prep.SparkTestContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Files read whole (as many files as partitions) and files split into counted parts number lines alike. */
class TextLinesIT {

    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = SparkTestContext.start();
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    /** file index, line number and text of every line, in file and line order */
    private static List<String> lines(InputFiles files, int partitions) {
        List<TextLine> lines = new ArrayList<>(TextLines.read(sc, files, "UTF-8", partitions).collect());
        lines.sort(Comparator.comparingInt(TextLine::fileIndex).thenComparingLong(TextLine::number));
        return lines.stream().map(l -> l.fileIndex() + ":" + l.number() + ":" + l.text()).toList();
    }

    @Test
    void wholeAndSplitFilesGiveTheSameLineNumbers(@TempDir Path dir) throws IOException {
        List<String> expected = new ArrayList<>();
        for (int f = 0; f < 3; f++) {
            StringBuilder text = new StringBuilder();
            for (int line = 1; line <= 2000 + 700 * f; line++) {
                String content = "file " + f + " line " + line + " " + "x".repeat(line % 37);
                text.append(content).append(line % 5 == 0 ? "\r\n" : "\n");
                expected.add(f + ":" + line + ":" + content);
            }
            Files.writeString(dir.resolve("part-" + f + ".txt"), text, StandardCharsets.UTF_8);
        }
        InputFiles files = InputFiles.list(dir.toString(), sc.hadoopConfiguration());
        assertEquals(3, files.paths().size());
        assertEquals(3, TextLines.read(sc, files, "UTF-8", 3).getNumPartitions(), "one partition per file");
        assertTrue(TextLines.read(sc, files, "UTF-8", 8).getNumPartitions() >= 8, "split when files are fewer");
        assertEquals(expected, lines(files, 3));
        assertEquals(expected, lines(files, 8));
    }
}
