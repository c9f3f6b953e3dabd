/**
 * The LSTM model: a spec that names the cell, the layers and the training options, the DL4J network it
 * builds, and the model bundle (network + preparation + metrics + provenance) that every command saves and
 * loads. No Spark here: scoring code and tests use it in a plain JVM.
 *
 * <p>{@link io.sparklstm.model.StepwisePredictor} scores streams: it keeps one recurrent state per entity
 * and, fed each new time step, gives the prediction the whole-sequence forward pass would give for the
 * sequence so far.
 *
 * <p>The bottom of the module: {@code model.data} and {@code model.bundle} build on it and it uses neither;
 * streaming forecasts from a bundle are in {@code model.stream}.
 */
package io.sparklstm.model;
