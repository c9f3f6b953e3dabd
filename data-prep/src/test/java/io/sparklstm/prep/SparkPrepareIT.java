package io.sparklstm.prep;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparklstm.model.Json;
import io.sparklstm.prep.io.InputDataException;
import io.sparklstm.prep.job.PrepareJob;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Base of the preparation integration tests: one small local Spark per test class. */
public abstract class SparkPrepareIT {

    protected static JavaSparkContext sc;

    @BeforeAll
    static void startSpark() {
        sc = SparkTestContext.start();
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    /** The same settings with another {@code split.duplicatesAcrossSplits}. */
    protected static io.sparklstm.prep.config.PrepareConfig withDuplicates(io.sparklstm.prep.config.PrepareConfig c,
            io.sparklstm.prep.config.SplitConfig.DuplicatesAcrossSplits policy) {
        io.sparklstm.prep.config.SplitConfig s = c.split();
        return new io.sparklstm.prep.config.PrepareConfig(c.kind(), c.input(), c.timeseries(), c.sequences(), c.ts(),
                new io.sparklstm.prep.config.SplitConfig(s.method(), s.fractions(), s.trainEnd(), s.validationEnd(),
                        s.testEnd(), policy), c.normalize(), c.minibatchSize(), c.seed(), c.text(), c.perSequence(),
                c.sequenceStats());
    }

    /** The input error behind a failure, which Spark may have wrapped. */
    protected static InputDataException inputError(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof InputDataException ide) return ide;
        }
        throw new AssertionError("no InputDataException in the cause chain of " + t, t);
    }

    /** One split of {@code manifest.json} as written, read as JSON rather than through the manifest's record. */
    protected static JsonNode writtenSplit(Path dataset, String split) throws IOException {
        return Json.mapper().readTree(dataset.resolve(io.sparklstm.model.data.DatasetManifest.FILE_NAME).toFile())
                .get("splits").get(split);
    }

    /** The minibatch files of a written split that carry a features mask, read from the files themselves. */
    protected static long filesWithMask(Path dataset, JsonNode split) {
        long masked = 0;
        for (JsonNode file : split.get("files")) {
            org.nd4j.linalg.dataset.DataSet batch = new org.nd4j.linalg.dataset.DataSet();
            batch.load(dataset.resolve(file.asText()).toFile());
            if (batch.getFeaturesMaskArray() != null) masked++;
        }
        return masked;
    }

    /**
     * Checks the lengths {@code manifest.json} records for a split against sequence lengths found independently.
     */
    protected static void assertLengths(Path dataset, String name, java.util.List<Integer> steps) throws IOException {
        JsonNode split = writtenSplit(dataset, name);
        java.util.IntSummaryStatistics expected = steps.stream().mapToInt(Integer::intValue).summaryStatistics();
        assertEquals(expected.getMin(), split.path("minSteps").asInt(-1), name + " minSteps");
        assertEquals(expected.getMax(), split.path("maxSteps").asInt(-1), name + " maxSteps");
        assertEquals(expected.getAverage(), split.path("meanSteps").asDouble(-1), 1e-12, name + " meanSteps");
        assertEquals(filesWithMask(dataset, split), split.path("maskedBatches").asLong(-1), name + " maskedBatches");
    }

    /**
     * The quarantined records of a prepared dataset, in the order of its {@code rejected/} part files, with each
     * file given by its name only (the JSON has the file's full URI, checked to be one). Each JSON line must have
     * exactly the fields file, line, reason and text, in that order.
     */
    protected static List<Rejection> rejected(Path dataset) throws IOException {
        List<Rejection> out = new ArrayList<>();
        List<Path> parts;
        try (Stream<Path> files = Files.list(dataset.resolve(PrepareJob.REJECTED_DIR))) {
            parts = files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
        }
        for (Path part : parts) {
            for (String line : Files.readAllLines(part, StandardCharsets.UTF_8)) {
                JsonNode json = Json.mapper().readTree(line);
                List<String> fields = new ArrayList<>();
                json.fieldNames().forEachRemaining(fields::add);
                assertEquals(List.of("file", "line", "reason", "text"), fields, line);
                String name = Paths.get(URI.create(json.get("file").asText())).getFileName().toString();
                out.add(new Rejection(name, json.get("line").asLong(), json.get("reason").asText(),
                        json.get("text").asText()));
            }
        }
        return out;
    }
}
