/**
 * The LSTM model: a spec that names the cell, the layers and the training options, the DL4J network it
 * builds, and the model bundle (network + preparation + metrics + provenance) that every command saves and
 * loads. No Spark here: scoring code and tests use it in a plain JVM.
 */
package io.sparklstm.model;
