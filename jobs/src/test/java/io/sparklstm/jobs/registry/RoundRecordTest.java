package io.sparklstm.jobs.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparklstm.model.Json;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoundRecordTest {

    /** Decisions written by retrain rounds before history records were typed (2026-12-04), under test resources. */
    private static final String SAMPLE = "/registry/history-2026-12/";
    private static final PromotionRule.Figures FIGURES = new PromotionRule.Figures("mse", 1.0, null, null, null,
            null, null);
    private static final List<String> SAMPLE_FILES = List.of("00000001.json", "00000002.json", "00000003.json");

    @Test
    void historyFilesOfTheEarlierFormatLoadAndWriteBackByteForByte(@TempDir Path root) throws IOException {
        Path history = Files.createDirectories(root.resolve("m/history"));
        List<String> written = new ArrayList<>();
        for (String name : SAMPLE_FILES) {
            try (InputStream in = RoundRecordTest.class.getResourceAsStream(SAMPLE + name)) {
                byte[] bytes = in.readAllBytes();
                Files.write(history.resolve(name), bytes);
                written.add(new String(bytes, StandardCharsets.UTF_8));
            }
        }
        List<RoundRecord> read = new ModelRegistry(root.toUri().toString(), "m", new Configuration()).history();
        assertEquals(List.of(RoundDecision.PROMOTED, RoundDecision.PROMOTED, RoundDecision.KEPT_CHAMPION),
                read.stream().map(RoundRecord::decision).toList());
        assertEquals(new RoundRecord.Champion(null), read.get(0).champion(), "the first round had no champion");
        assertEquals(Optional.of(2), read.get(1).recordedVersion());
        for (int i = 0; i < read.size(); i++) {
            assertEquals(written.get(i), Json.compact().writeValueAsString(read.get(i)) + "\n", SAMPLE_FILES.get(i));
        }
    }

    @Test
    void anUnknownDecisionIsRefusedNamingTheFile(@TempDir Path root) throws IOException {
        Path history = Files.createDirectories(root.resolve("m/history"));
        Files.writeString(history.resolve("00000001.json"), "{\"round\":\"a\",\"decision\":\"maybe\"}\n");
        ModelRegistry registry = new ModelRegistry(root.toUri().toString(), "m", new Configuration());
        RegistryException e = assertThrows(RegistryException.class, registry::history);
        assertTrue(e.getMessage().contains("00000001.json") && e.getMessage().contains("maybe"), e.getMessage());
    }

    @Test
    void eachKindWritesTheKeysOfEarlierFilesInTheirOrder() {
        assertEquals(List.of("at", "round", "decision", "lock"),
                keys(RoundRecord.lockBroken("r", Map.of("owner", "x"))));
        assertEquals(List.of("at", "round", "decision", "reason"), keys(RoundRecord.restored("r", "why")));
        assertEquals(List.of("at", "round", "decision", "reason", "version"),
                keys(RoundRecord.abandoned("r", "why", 3)));
        assertEquals(List.of("at", "round", "decision", "reason", "holdoutMetrics", "version"),
                keys(RoundRecord.recoveredPromotion("r", "why", Map.of("mse", 1.0), 3)));
        RoundRecord.Round first = new RoundRecord.Round("r", Optional.empty(), FIGURES,
                Map.of("mse", 1.0), Optional.empty(), Optional.empty(), "run", "fp");
        RoundRecord kept = RoundRecord.decided(first, RoundDecision.KEPT_CHAMPION, "why");
        assertEquals(List.of("at", "round", "decision", "reason", "champion", "figures", "challengerMetrics", "run",
                "dataFingerprint"), keys(kept));
        assertTrue(Json.mapper().valueToTree(kept).get("champion").isNull(), "no champion is written as null");
        RoundRecord.Round second = new RoundRecord.Round("r", Optional.of(2), FIGURES,
                Map.of("mse", 1.0), Optional.of(Map.of("mse", 2.0)), Optional.of(Map.of("withinLimit", true)), "run",
                "fp");
        RoundRecord promoted = RoundRecord.decided(second, RoundDecision.PROMOTED, "why").promotedAs(3);
        assertEquals(List.of("at", "round", "decision", "reason", "champion", "figures", "challengerMetrics",
                "championMetrics", "drift", "run", "dataFingerprint", "version"), keys(promoted));
        assertEquals(2, Json.mapper().valueToTree(promoted).get("champion").intValue());
    }

    private static List<String> keys(RoundRecord record) {
        List<String> out = new ArrayList<>();
        JsonNode node = Json.mapper().valueToTree(record);
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
