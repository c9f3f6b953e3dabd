package io.sparklstm.tests;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparklstm.jobs.cli.Main;
import io.sparklstm.model.Json;
import io.sparklstm.model.bundle.BundleInfo;
import io.sparklstm.model.bundle.LocalBundleStore;
import io.sparklstm.model.bundle.ModelBundle;
import io.sparklstm.model.data.DatasetManifest;
import io.sparklstm.model.data.SplitInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Prepared datasets and model bundles written by an earlier build still read, and a bundle still scores its
 * dataset as it did when it was trained.
 *
 * <p>The fixtures under {@code tests/src/test/resources/compat/format-1/} were written by the build of
 * 2026-12-04 ({@code manifest.json} and {@code bundle.json} format version 1): a sequence classifier (60 synthetic
 * control sequences, one LSTM layer of 8 units) and a forecaster (the first 300 hours of ETTh1, a window of 12 and a
 * horizon of 4 steps), each a whole prepared dataset ({@code data/}) and the bundle trained on it
 * ({@code model/}), about 100 KB in all. {@code compat/regenerate.sh NEW_NAME} writes a new set with the build in the
 * working tree; run it for a new format version (format-2, ...) and add the new directory to these tests beside the
 * old ones.
 *
 * <p>A failure here means that today's code no longer reads what users have on disk: a format break. The fix is a
 * migration in the reader (a default for a field older files lack, a renamed field read under its old name, a new
 * format version with the old one still read), never a fixture written again by the new code.
 */
class FormatCompatibilityIT {

    private static final Path COMPAT = Repo.root().resolve("tests/src/test/resources/compat");
    private static final List<Path> FIXTURES = List.of(COMPAT.resolve("format-1/classifier"),
            COMPAT.resolve("format-1/forecaster"));

    /** Recorded metrics are rounded to 6 decimals; scoring the same files with the same weights gives the same. */
    private static final double TOLERANCE = 1e-5;

    @ParameterizedTest
    @ValueSource(strings = {"format-1/classifier", "format-1/forecaster"})
    void aManifestOfAnEarlierBuildParsesWithEveryFieldItHolds(String fixture) throws IOException {
        Path file = COMPAT.resolve(fixture).resolve("data").resolve(DatasetManifest.FILE_NAME);
        JsonNode written = Json.mapper().readTree(file.toFile());
        DatasetManifest manifest = Json.mapper().treeToValue(written, DatasetManifest.class);

        assertEquals(1, manifest.formatVersion());
        assertEveryComponentSet(manifest, "manifest");
        assertKept(written, Json.mapper().valueToTree(manifest), "manifest");
        assertEquals(List.of("train", "validation", "test"), List.copyOf(manifest.splits().keySet()));
        for (Map.Entry<String, SplitInfo> split : manifest.splits().entrySet()) {
            assertEquals(split.getValue().batches(), split.getValue().files().size(), split.getKey());
            long bytes = 0;
            for (String name : split.getValue().files()) {
                bytes += Files.size(file.resolveSibling(name));
            }
            assertEquals(split.getValue().bytes(), bytes, split.getKey() + ": the bytes its files hold");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"format-1/classifier", "format-1/forecaster"})
    void aBundleOfAnEarlierBuildLoadsWithItsPreparationAndWeights(String fixture) throws IOException {
        Path dir = COMPAT.resolve(fixture);
        JsonNode written = Json.mapper().readTree(dir.resolve("model").resolve(ModelBundle.INFO_FILE).toFile());
        ModelBundle bundle = ModelBundle.readFrom(new LocalBundleStore(dir.resolve("model")));
        BundleInfo info = bundle.info();

        assertEquals(1, info.formatVersion());
        assertEveryComponentSet(info, "bundle");
        assertKept(written, Json.mapper().valueToTree(info), "bundle");
        DatasetManifest manifest = Json.mapper().readValue(dir.resolve("data/manifest.json").toFile(),
                DatasetManifest.class);
        // As JSON: the normalizer's arrays have no value equality.
        assertEquals(Json.mapper().valueToTree(manifest.preparation()), Json.mapper().valueToTree(info.preparation()),
                "the bundle's preparation is its dataset's");
        assertEquals(manifest.featureNames().size(), bundle.network().layerInputSize(0));
        assertEquals(manifest.outputSize(), bundle.network().layerSize(bundle.network().getnLayers() - 1));
        assertTrue(bundle.network().numParams() > 0);
    }

    /**
     * Today's {@code evaluate} scores each committed dataset with its committed bundle and finds the metrics the
     * bundle recorded when it was trained.
     */
    @Test
    void aBundleOfAnEarlierBuildScoresItsDatasetAsItRecorded(@TempDir Path tmp) throws IOException {
        for (Path fixture : FIXTURES) {
            Path out = tmp.resolve(fixture.getFileName() + ".json");
            int code = Main.execute(Repo.args("evaluate", "--model", fixture.resolve("model").toString(),
                    "--data", fixture.resolve("data").toString(), "--split", "train,validation,test",
                    "--output", out.toString()));
            assertEquals(0, code, fixture.toString());

            JsonNode scored = Repo.json(out);
            JsonNode recorded = Json.mapper().readTree(fixture.resolve("model/bundle.json").toFile()).get("metrics");
            for (String split : List.of("train", "validation", "test")) {
                assertSameMetrics(recorded.get(split), scored.get(split), fixture.getFileName() + " " + split);
            }
        }
    }

    /** Every numeric top-level metric recorded (loss, accuracy, f1, mse, mae, ...) is scored again, equal. */
    private static void assertSameMetrics(JsonNode recorded, JsonNode scored, String what) {
        assertNotNull(recorded, what + ": recorded");
        assertNotNull(scored, what + ": scored");
        int compared = 0;
        for (Map.Entry<String, JsonNode> metric : recorded.properties()) {
            if (!metric.getValue().isNumber()) continue;
            JsonNode again = scored.get(metric.getKey());
            assertNotNull(again, what + ": " + metric.getKey() + " is no longer scored");
            double expected = metric.getValue().asDouble();
            assertEquals(expected, again.asDouble(), TOLERANCE * Math.max(1, Math.abs(expected)),
                    what + ": " + metric.getKey());
            compared++;
        }
        assertTrue(compared >= 3, what + ": " + recorded);
    }

    /** No component of a record read from an older file is null, nor of the records inside it. */
    private static void assertEveryComponentSet(Object value, String path) {
        if (value instanceof Record record) {
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                Object field;
                try {
                    field = component.getAccessor().invoke(record);
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(path + "." + component.getName(), e);
                }
                assertNotNull(field, path + "." + component.getName() + " is null: older files lack it, and the"
                        + " reader gives it no default");
                assertEveryComponentSet(field, path + "." + component.getName());
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((key, v) -> assertEveryComponentSet(v, path + "." + key));
        } else if (value instanceof Collection<?> items) {
            items.forEach(item -> assertEveryComponentSet(item, path + "[]"));
        }
    }

    /** Every field of the file, at any depth, comes back with its value when the parsed record is written again. */
    private static void assertKept(JsonNode written, JsonNode again, String path) {
        if (again == null || again.isNull()) {
            fail(path + " was in the file and is lost on reading (renamed or dropped without a migration)");
        }
        if (written.isObject()) {
            assertTrue(again.isObject(), path + " is no longer an object");
            written.properties().forEach(field ->
                    assertKept(field.getValue(), again.get(field.getKey()), path + "." + field.getKey()));
        } else if (written.isArray()) {
            assertEquals(written.size(), again.size(), path + ": elements");
            for (int i = 0; i < written.size(); i++) {
                assertKept(written.get(i), again.get(i), path + "[" + i + "]");
            }
        } else if (written.isNumber()) {
            assertTrue(again.isNumber(), path + " is no longer a number: " + again);
            assertEquals(written.asDouble(), again.asDouble(), 0.0, path);
        } else {
            assertEquals(written, again, path);
        }
    }
}
