/**
 * The model bundle: the trained network with its updater state, how its data was prepared, its metrics
 * and its provenance, saved as one directory and loaded back bit for bit.
 */
package io.sparklstm.model.bundle;
