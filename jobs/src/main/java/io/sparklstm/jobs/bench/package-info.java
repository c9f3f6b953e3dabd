/**
 * The {@code bench} command's measurements: training throughput per LSTM shape (the gate GEMM's roofline, one
 * plain process with each LSTM kernel, N processes side by side, parameter averaging on Spark with each worker
 * count), the statistical efficiency of averaging on a real dataset, and {@code bench.html}.
 *
 * <p>May depend on {@code model} (spec, network factory, manifest), {@code prep} (to prepare the dataset it
 * trains on), and on {@code jobs.config}, {@code jobs.train}, {@code jobs.evaluate}, {@code jobs.report} and
 * {@code jobs.doctor}, because it measures what those run. Only {@code jobs.cli} depends on it.
 */
package io.sparklstm.jobs.bench;
