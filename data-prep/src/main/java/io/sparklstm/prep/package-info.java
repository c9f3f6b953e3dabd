/**
 * Data preparation: Spark jobs that read raw sequence data from any Hadoop filesystem, clean, split and
 * normalize it, cut it into sequences or windows, and export DL4J minibatch files with a manifest. Nothing
 * but small metadata reaches the driver.
 */
package io.sparklstm.prep;
