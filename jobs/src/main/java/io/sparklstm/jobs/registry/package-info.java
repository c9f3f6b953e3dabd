/**
 * A model registry on any Hadoop filesystem, for scheduled retraining: numbered, immutable versions of model
 * bundles with their metrics and provenance, a {@code CURRENT} pointer replaced in one rename, a history of every
 * decision (one file each, created only if absent), retention of the newest versions, and a lock that is a lease
 * (renewed while a round runs, broken only when not renewed, checked before every write) so that two scheduled
 * runs never both write one registry. The guarantees hold on HDFS and local filesystems; see
 * {@link io.sparklstm.prep.output.AtomicWrites.Guarantee}. {@link io.sparklstm.jobs.registry.ModelLocation} finds the
 * bundle a command's {@code --model} names: a bundle, a training run or a registry model.
 *
 * <p>Above {@code jobs.train} and {@code jobs.evaluate}, which it uses (a retraining round trains and scores);
 * neither of them depends on it.
 */
package io.sparklstm.jobs.registry;
