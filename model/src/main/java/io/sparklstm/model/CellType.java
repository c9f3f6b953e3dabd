package io.sparklstm.model;

/** The recurrent cell. */
public enum CellType {
    /** DL4J {@code LSTM}: forget, input and output gates, additive cell state, no peepholes. */
    LSTM,
    /** DL4J {@code GravesLSTM}: the same gates, which also see the cell state (peephole connections). */
    PEEPHOLE
}
