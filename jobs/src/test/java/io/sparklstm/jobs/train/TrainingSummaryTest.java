package io.sparklstm.jobs.train;

import io.sparklstm.model.Json;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The {@code training} part of summary.json as it has always been written: the keys of a sorted map, absent parts
 * left out. Pinned byte for byte, and against the sorted map the run used to build.
 */
class TrainingSummaryTest {

    private static final Map<String, Long> TASKS = tasks();

    private static Map<String, Long> tasks() {
        Map<String, Long> t = new LinkedHashMap<>();
        t.put("tasks", 12L);
        t.put("failedTasks", 0L);
        return t;
    }

    @Test
    void aSummaryWithoutOptionalPartsKeepsItsJson() throws Exception {
        TrainingSummary s = new TrainingSummary(1, 5, 3, "../data", 4, "local[2]", 0, 12.5, 3, "loss", Optional.empty(),
                TASKS, true, Optional.empty(), 2);
        assertEquals("{\"averagedEpochs\":1,\"averagingFrequency\":5,\"bestEpoch\":3,\"data\":\"../data\",\"epochs\":4,\"master\":\"local[2]\","
                + "\"resumedAfterEpoch\":0,\"seconds\":12.5,\"selectedEpoch\":3,\"selectionMetric\":\"loss\","
                + "\"sparkTasks\":{\"tasks\":12,\"failedTasks\":0},\"stoppedEarly\":true,\"workers\":2}",
                Json.compact().writeValueAsString(s));
    }

    @Test
    void aSummaryWritesWhatTheSortedMapOfEarlierBuildsWrote() throws Exception {
        Map<String, Double> shrink = new LinkedHashMap<>();
        shrink.put("load", 0.75);
        shrink.put("temp", 1.0);
        Map<String, Double> timing = new LinkedHashMap<>();
        timing.put("workerFitSeconds", 3.5);
        timing.put("averagingSeconds", 0.25);
        TrainingSummary s = new TrainingSummary(1, 5, 3, "../data", 4, "local[2]", 2, 12.5, 4, "mse", Optional.of(shrink),
                TASKS, false, Optional.of(timing), 2);
        Map<String, Object> t = new TreeMap<>();
        t.put("epochs", 4);
        t.put("averagedEpochs", 1);
        t.put("bestEpoch", 3);
        t.put("selectionMetric", "mse");
        t.put("selectedEpoch", 4);
        t.put("stoppedEarly", false);
        t.put("resumedAfterEpoch", 2);
        t.put("workers", 2);
        t.put("master", "local[2]");
        t.put("averagingFrequency", 5);
        t.put("data", "../data");
        t.put("seconds", 12.5);
        t.put("timing", timing);
        t.put("sparkTasks", TASKS);
        t.put("shrinkToNaive", shrink);
        assertEquals(Json.mapper().writeValueAsString(t), Json.mapper().writeValueAsString(s));
        assertEquals(Json.mapper().writeValueAsString(t), Json.mapper().writeValueAsString(s.asJsonObject()));
    }

    @Test
    void anEnsemblesSummaryListsEachMemberAloneAfterTheMaster() throws Exception {
        TrainingSummary s = new TrainingSummary(1, 5, 3, "../data", 4, "local[2]", 0, 12.5, 3, "loss", Optional.empty(),
                TASKS, true, Optional.empty(), 2).withMembers(List.of(
                new EnsembleMember(0, 7, 3, Map.of("accuracy", 0.9), Map.of("accuracy", 0.8)),
                new EnsembleMember(1, 8, 4, Map.of("loss", 0.25), Map.of())));
        assertEquals("{\"averagedEpochs\":1,\"averagingFrequency\":5,\"bestEpoch\":3,\"data\":\"../data\",\"epochs\":4,\"master\":\"local[2]\","
                + "\"members\":[{\"member\":0,\"seed\":7,\"selectedEpoch\":3,\"validation\":{\"accuracy\":0.9},\"test\":{\"accuracy\":0.8}},"
                + "{\"member\":1,\"seed\":8,\"selectedEpoch\":4,\"validation\":{\"loss\":0.25},\"test\":{}}],"
                + "\"resumedAfterEpoch\":0,\"seconds\":12.5,\"selectedEpoch\":3,\"selectionMetric\":\"loss\","
                + "\"sparkTasks\":{\"tasks\":12,\"failedTasks\":0},\"stoppedEarly\":true,\"workers\":2}",
                Json.compact().writeValueAsString(s));
        assertEquals(Json.compact().writeValueAsString(s), Json.compact().writeValueAsString(s.asJsonObject()));
    }
}
