/**
 * The jobs behind the command line: configuration, Spark set-up, distributed training with dl4j-spark's
 * parameter averaging, evaluation and metrics collected on the driver.
 */
package io.sparklstm.jobs;
