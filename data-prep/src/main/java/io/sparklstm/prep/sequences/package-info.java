/** Labelled sequences, one per line, for sequence classification, split at random by a seeded hash. */
package io.sparklstm.prep.sequences;
