package io.sparklstm.jobs.evaluate;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * A sequence classifier's scores on a split: accuracy, macro-averaged F1, precision and recall, and the confusion
 * matrix (rows: actual class, columns: predicted, in the order of {@code classes}).
 */
@JsonPropertyOrder({"accuracy", "f1", "precision", "recall", "classes", "confusionMatrix"})
public record ClassScores(double accuracy, double f1, double precision, double recall, List<String> classes,
                          List<List<Integer>> confusionMatrix) {

    public ClassScores {
        classes = List.copyOf(classes);
        confusionMatrix = confusionMatrix.stream().map(List::copyOf).toList();
    }
}
