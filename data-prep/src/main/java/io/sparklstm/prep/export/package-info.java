/**
 * Turning examples into minibatch files: a deterministic order (shuffled for training, in time order for
 * evaluation), fixed-size batches, padding and masks, DL4J DataSet files written by the executors. Uses only
 * {@code prep.io} of data-prep, so the dataset kinds and the prepare job may use it.
 */
package io.sparklstm.prep.export;
