package io.sparklstm.model;

/** What the network predicts from a sequence. */
public enum Task {
    /** One class per sequence, from the last time step. */
    CLASSIFICATION,
    /** The next {@code horizonSteps} values of the target columns, from the last time step. */
    FORECAST;

    public boolean isClassification() {
        return this == CLASSIFICATION;
    }
}
