package io.sparklstm.model;

/** What the network predicts from a sequence. */
public enum Task {
    /** One class per sequence, from the last time step. */
    CLASSIFICATION,
    /** The next {@code horizonSteps} values of the target columns, from the last time step. */
    FORECAST,
    /**
     * One class per time step, from that step's output (e.g. the next character of a text at every step):
     * labels {@code [minibatch, classes, steps]}, no {@code LastTimeStep}.
     */
    STEP_CLASSIFICATION;

    /** Whether the labels are classes (one-hot), per sequence or per step. */
    public boolean isClassification() {
        return this == CLASSIFICATION || this == STEP_CLASSIFICATION;
    }

    /** Whether there is a label (and a prediction) at every time step rather than one per sequence. */
    public boolean perStep() {
        return this == STEP_CLASSIFICATION;
    }
}
