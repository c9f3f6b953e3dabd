package io.sparklstm.jobs.train;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.sparklstm.jobs.evaluate.Metrics;
import io.sparklstm.model.Task;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One network of an ensemble ({@code model.ensembleMembers}) as {@code summary.json}'s {@code training.members}
 * lists it: the network scored alone, on the splits whose ensemble metrics the summary holds.
 *
 * @param member        its place in the ensemble, from 0 ({@code network.zip}; member k: {@code network-k.zip})
 * @param seed          the model seed it trained with: {@code model.seed + member}
 * @param selectedEpoch the epoch whose parameters it has
 * @param validation    its headline validation metric ({@code accuracy}, or {@code rmse} for a forecaster) and loss;
 *                      empty without a validation split
 * @param test          the same on the test split; empty without one
 */
@JsonPropertyOrder({"member", "seed", "selectedEpoch", "validation", "test"})
public record EnsembleMember(int member, long seed, int selectedEpoch, Map<String, Double> validation,
                             Map<String, Double> test) {

    public EnsembleMember {
        validation = Collections.unmodifiableMap(new LinkedHashMap<>(validation));
        test = Collections.unmodifiableMap(new LinkedHashMap<>(test));
    }

    /** A member's entry from its metrics by split (a split it has no examples of is left empty). */
    static EnsembleMember of(int member, long seed, int selectedEpoch, Map<String, Metrics> metrics, Task task) {
        return new EnsembleMember(member, seed, selectedEpoch, headline(metrics.get("validation"), task),
                headline(metrics.get("test"), task));
    }

    /** The metric a reader compares members on, and the loss. */
    static Map<String, Double> headline(Metrics m, Task task) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (m == null || m.examples() == 0) return out; // no such split: no figures, not a loss of NaN
        String name = task.isClassification() ? "accuracy" : "rmse";
        m.value(name).ifPresent(v -> out.put(name, TrainingRun.round(v)));
        m.value("loss").ifPresent(v -> out.put("loss", TrainingRun.round(v)));
        return out;
    }
}
