/**
 * Character-level text (dataset kind {@code text}) for next-character prediction: the files are read as lines
 * in parallel and numbered by character position without collecting them, split by position into contiguous
 * blocks, given a vocabulary of the training block's characters, and cut on the executors into sequences
 * labelled at every step with the character that follows.
 *
 * <p>A dataset kind: builds on the root package, {@code prep.config}, {@code prep.io}, {@code prep.export} and the
 * model module; other code reaches it through {@code prep.job.DatasetKinds}.
 */
package io.sparklstm.prep.text;
