/**
 * Turning examples into minibatch files: a deterministic order (shuffled for training, in time order for
 * evaluation), fixed-size batches, padding and masks, DL4J DataSet files written by the executors.
 */
package io.sparklstm.prep.export;
