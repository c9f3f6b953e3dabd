/**
 * The {@code generate} command's synthetic time-series table: CSV files of any size, written in parallel on the
 * executors, for benchmarks and scale tests where no real dataset of that size is at hand.
 *
 * <p>May depend on Spark's Java API, the Hadoop filesystem and {@code prep.io} and {@code prep.output} (the
 * atomic output directory); nothing else of the project. Only {@code jobs.cli} depends on it.
 */
package io.sparklstm.jobs.generate;
