/**
 * A model registry on any Hadoop filesystem, for scheduled retraining: numbered, immutable versions of model
 * bundles with their metrics and provenance, a {@code CURRENT} pointer replaced atomically, a history of every
 * decision, retention of the newest versions, and a lock so that two scheduled runs never act on one registry.
 */
package io.sparklstm.jobs.registry;
