package io.sparklstm.jobs.registry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What a history record says happened; written as its label, the words history files have always held. */
public enum RoundDecision {
    /** A round put its challenger in service (or a crash-interrupted promotion was recorded afterwards). */
    PROMOTED("promoted"),
    /** A round kept the champion. */
    KEPT_CHAMPION("kept champion"),
    /** A version published before a crash and never promoted; its round runs again. */
    ABANDONED("abandoned"),
    /** {@code CURRENT}, lost in a crash, was pointed at the version last promoted again. */
    RESTORED("restored"),
    /** A lock whose lease had run out was taken over. */
    STALE_LOCK_BROKEN("stale lock broken");

    private final String label;

    RoundDecision(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }

    /** Whether this ends a round: a rerun of the round does nothing more. */
    public boolean decidesRound() {
        return this == PROMOTED || this == KEPT_CHAMPION;
    }

    @JsonCreator
    public static RoundDecision ofLabel(String label) {
        for (RoundDecision d : values()) {
            if (d.label.equals(label)) return d;
        }
        throw new IllegalArgumentException("unknown decision \"" + label + "\"; known: " + Arrays.stream(values())
                .map(RoundDecision::label).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return label;
    }
}
