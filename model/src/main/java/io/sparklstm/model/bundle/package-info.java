/**
 * The model bundle: the trained network with its updater state, how its data was prepared, its metrics
 * and its provenance, saved as one directory and loaded back bit for bit. It uses the root package (the spec,
 * the JSON mapper) and {@code model.data} (the preparation it carries).
 */
package io.sparklstm.model.bundle;
