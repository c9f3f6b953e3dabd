/**
 * The prepare job and what needs every dataset kind: the registry of the kinds ({@code DatasetKinds}), the classes
 * Kryo registers for them ({@code SerializedTypes}), the check that no example is in two splits
 * ({@code SplitOverlap}) and {@code PrepareJob} itself. The top of data-prep: it may use every other package of it,
 * and none of them uses it (the jobs module does).
 */
package io.sparklstm.prep.job;
