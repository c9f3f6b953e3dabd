/**
 * Labelled sequences, one per line, for sequence classification, split at random by a seeded hash.
 *
 * <p>A dataset kind: builds on the root package, {@code prep.config}, {@code prep.io}, {@code prep.export} and the
 * model module; other code reaches it through {@code prep.job.DatasetKinds}.
 */
package io.sparklstm.prep.sequences;
