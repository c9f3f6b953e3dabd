package io.sparklstm.tests;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparklstm.jobs.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code crossvalidate} on synthetic control (3 folds, one small epoch): every example that is not test validates
 * in exactly one fold, the test split is the one a plain prepare makes and is never scored, a candidate that
 * changes the preparation gets data of its own, and the pooled figures and the choice follow from the folds. On a
 * time split, folds by rolling origin.
 */
class CrossValidateIT {

    @TempDir
    Path dir;

    @Test
    void everyNonTestExampleValidatesOnceAndTheTestSplitIsNeitherChangedNorScored() throws Exception {
        String conf = Repo.conf("datasets/synthetic-control.conf").toString();
        String input = "input.path=" + Repo.data("synthetic_control/synthetic_control.data");
        Path plain = dir.resolve("plain");
        assertEquals(0, Main.execute(Repo.args("prepare", "--conf", conf, "--set", input,
                "--output", plain.toString())));
        JsonNode plainSplits = Repo.json(plain.resolve("manifest.json")).get("splits");
        long pool = plainSplits.get("train").get("examples").asLong() + plainSplits.get("validation").get("examples")
                .asLong();
        long test = plainSplits.get("test").get("examples").asLong();

        Path out = dir.resolve("cv");
        assertEquals(0, Main.execute(Repo.args("crossvalidate", "--conf", conf, "--set", input,
                "--set", "training.epochs=1", "--set", "model.layers=[8]", "--folds", "3",
                "--candidate", "centred: prepare.perSequence=center; model.layers=[12]", "--output", out.toString())));

        JsonNode cv = Repo.json(out.resolve("crossvalidation.json"));
        assertEquals(3, cv.get("folds").asInt());
        assertEquals("accuracy", cv.get("metric").asText());
        List<String> names = new ArrayList<>();
        for (JsonNode c : cv.get("candidates")) names.add(c.get("name").asText());
        assertEquals(List.of("configured", "centred"), names);
        assertTrue(names.contains(cv.get("best").asText()), cv.toString());

        for (int p = 0; p < 2; p++) {
            JsonNode candidate = cv.get("candidates").get(p);
            long validated = 0;
            double right = 0;
            for (int k = 0; k < 3; k++) {
                JsonNode splits = Repo.json(out.resolve("data/p" + p + "-fold-" + k + "/manifest.json")).get("splits");
                assertEquals(pool, splits.get("train").get("examples").asLong()
                        + splits.get("validation").get("examples").asLong(), "p" + p + " fold " + k);
                assertEquals(test, splits.get("test").get("examples").asLong(), "p" + p + " fold " + k);
                JsonNode fold = candidate.get("folds").get(k).get("validation");
                assertEquals(splits.get("validation").get("examples").asLong(), fold.get("examples").asLong());
                validated += fold.get("examples").asLong();
                right += fold.get("accuracy").asDouble() * fold.get("examples").asLong();
                JsonNode evaluation = Repo.json(out.resolve(names.get(p) + "/fold-" + k + "/evaluation.json"));
                assertEquals(List.of("validation"), fieldNames(evaluation), "only the held-out fold is scored");
            }
            assertEquals(pool, validated, "every non-test example validates in exactly one fold");
            assertEquals(pool, candidate.get("examples").asLong());
            assertEquals(right / validated, candidate.get("accuracy").asDouble(), 1e-3);
        }
        // the candidate's preparation differs (per-sequence centring), so it was prepared apart
        assertTrue(Files.isDirectory(out.resolve("data/p1-fold-0")));
        assertFalse(Files.exists(out.resolve("data/p2-fold-0")));
        String table = Files.readString(out.resolve("crossvalidation.txt"), StandardCharsets.UTF_8);
        assertTrue(table.contains("chosen: " + cv.get("best").asText()), table);
    }

    /**
     * A time split (the first 2,000 hours of ETTh1 by fractions 0.6/0.15/0.25, 3 folds): rolling origin. Every
     * fold trains only on hours before its validation range; the folds' validation ranges follow one another,
     * the last fold's is the configured validation; the test split is the configured one in every fold (the same
     * hours and windows as a plain prepare) and is not scored; the figure is the validation loss.
     */
    @Test
    void aTimeSplitRollsTheOriginBackOneValidationLengthPerFold() throws Exception {
        String conf = Repo.conf("datasets/etth1.conf").toString();
        Path head = Repo.etth1Head(dir, 2000);
        String[] sets = {"--set", "input.path=" + head, "--set", "split.trainEnd=", "--set", "split.validationEnd=",
                "--set", "split.testEnd=", "--set", "split.fractions=[0.6, 0.15, 0.25]",
                "--set", "timeseries.windowSteps=24", "--set", "timeseries.horizonSteps=6"};
        Path plain = dir.resolve("plain");
        List<String> prepare = new ArrayList<>(List.of("--conf", conf));
        prepare.addAll(List.of(sets));
        prepare.addAll(List.of("--output", plain.toString()));
        assertEquals(0, Main.execute(Repo.args("prepare", prepare.toArray(String[]::new))));
        JsonNode plainSplits = Repo.json(plain.resolve("manifest.json")).get("splits");

        Path out = dir.resolve("cv-time");
        List<String> cvArgs = new ArrayList<>(List.of("--conf", conf));
        cvArgs.addAll(List.of(sets));
        cvArgs.addAll(List.of("--set", "training.epochs=1", "--set", "model.layers=[8]", "--folds", "3",
                "--output", out.toString()));
        assertEquals(0, Main.execute(Repo.args("crossvalidate", cvArgs.toArray(String[]::new))));

        JsonNode cv = Repo.json(out.resolve("crossvalidation.json"));
        assertEquals("loss", cv.get("metric").asText());
        // each fold's forecasts were scored beside the naive forecasts of the same windows
        JsonNode configured = cv.get("candidates").get(0);
        assertEquals(3, configured.get("skillByFold").size(), configured.toString());
        assertTrue(List.of("seasonal", "persistence", "mean").contains(configured.get("bestBaseline").asText()));
        String table = Files.readString(out.resolve("crossvalidation.txt"), StandardCharsets.UTF_8);
        assertTrue(table.contains("skill vs " + configured.get("bestBaseline").asText()), table);
        String previousValidationEnd = "";
        for (int k = 0; k < 3; k++) {
            JsonNode splits = Repo.json(out.resolve("data/p0-fold-" + k + "/manifest.json")).get("splits");
            JsonNode train = splits.get("train");
            JsonNode validation = splits.get("validation");
            assertTrue(train.get("lastTime").asText().compareTo(validation.get("firstTime").asText()) < 0,
                    "fold " + k + " trains only before it validates: " + splits);
            assertTrue(previousValidationEnd.compareTo(validation.get("firstTime").asText()) < 0,
                    "fold " + k + " validates after fold " + (k - 1) + ": " + splits);
            previousValidationEnd = validation.get("lastTime").asText();
            for (String field : List.of("examples", "firstTime", "lastTime")) {
                assertEquals(plainSplits.get("test").get(field), splits.get("test").get(field), "fold " + k + " test");
            }
            assertTrue(validation.get("examples").asLong() > 0, splits.toString());
            JsonNode fold = cv.get("candidates").get(0).get("folds").get(k).get("validation");
            assertEquals(validation.get("examples").asLong(), fold.get("examples").asLong());
            assertEquals(List.of("validation"), fieldNames(Repo.json(out.resolve("configured/fold-" + k
                    + "/evaluation.json"))), "only the held-out range is scored");
            if (k == 2) {
                for (String split : List.of("train", "validation")) {
                    for (String field : List.of("examples", "firstTime", "lastTime")) {
                        assertEquals(plainSplits.get(split).get(field), splits.get(split).get(field),
                                "the last fold is the configured split: " + split + " " + field);
                    }
                }
            }
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
