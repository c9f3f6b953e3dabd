/**
 * Distributed training: the epoch loop around dl4j-spark's {@code SparkDl4jMultiLayer.fitPaths} with
 * parameter averaging, the training loss gathered from the workers, validation each epoch, checkpoints, and
 * the run directory (metrics, summary, report, model bundle).
 */
package io.sparklstm.jobs.train;
