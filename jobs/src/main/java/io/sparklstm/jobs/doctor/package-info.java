/**
 * {@code doctor}: what the driver and each Spark executor run on (ND4J backend and devices, BLAS, threads,
 * native memory limits, library versions), and whether the executors agree with the driver. A job whose
 * executors load another ND4J backend than the driver, or none, fails in confusing ways mid-training; this
 * finds it in seconds, before any data is touched.
 */
package io.sparklstm.jobs.doctor;
