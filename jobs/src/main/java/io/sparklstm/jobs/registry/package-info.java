/**
 * A model registry on any Hadoop filesystem, for scheduled retraining: numbered, immutable versions of model
 * bundles with their metrics and provenance, a {@code CURRENT} pointer replaced in one rename, a history of every
 * decision (one file each, created only if absent), retention of the newest versions, and a lock that is a lease
 * (renewed while a round runs, broken only when not renewed, checked before every write) so that two scheduled
 * runs never both write one registry. The guarantees hold on HDFS and local filesystems; see
 * {@link io.sparklstm.prep.output.AtomicWrites.Guarantee}.
 */
package io.sparklstm.jobs.registry;
