package io.sparklstm.ml;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LstmTrainingSummaryTest {

    private static final List<String> LINES = List.of(
            "{\"epoch\":1,\"trainLoss\":0.9,\"trainExamples\":10,\"samplesPerSecond\":20.0,\"fitSeconds\":0.5,"
                    + "\"learningRate\":0.01,\"validation\":{\"examples\":4,\"loss\":0.8,\"accuracy\":0.5},"
                    + "\"epochSeconds\":0.6,\"sparkTasks\":{\"tasks\":2,\"failedTasks\":0},\"best\":true}",
            "{\"epoch\":2,\"trainLoss\":0.7,\"trainExamples\":10,\"samplesPerSecond\":21.0,\"fitSeconds\":0.4,"
                    + "\"learningRate\":0.01,\"validation\":{\"examples\":4,\"loss\":0.6,\"accuracy\":0.75},"
                    + "\"epochSeconds\":0.5,\"sparkTasks\":{\"tasks\":2,\"failedTasks\":0},\"best\":true}");

    @Test
    void theEpochsAreTypedRecordsAndTheSummarySurvivesJavaSerialization() throws Exception {
        Map<String, Map<String, Object>> finalMetrics = new LinkedHashMap<>();
        finalMetrics.put("train", new LinkedHashMap<>(Map.of("loss", 0.65)));
        LstmTrainingSummary summary = new LstmTrainingSummary(LINES, finalMetrics);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(summary);
        }
        LstmTrainingSummary back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (LstmTrainingSummary) in.readObject();
        }
        assertEquals(2, back.totalEpochs());
        assertEquals(2, back.epochs().get(1).epoch());
        assertArrayEquals(new double[]{0.9, 0.7}, back.objectiveHistory());
        assertArrayEquals(new double[]{0.5, 0.75}, back.validationHistory("accuracy"));
        assertEquals(0.65, back.finalMetrics().get("train").get("loss"));
    }
}
