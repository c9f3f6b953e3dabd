/**
 * Character-level text (dataset kind {@code text}) for next-character prediction: the files are read as lines
 * in parallel and numbered by character position without collecting them, split by position into contiguous
 * blocks, given a vocabulary of the training block's characters, and cut on the executors into sequences
 * labelled at every step with the character that follows.
 */
package io.sparklstm.prep.text;
