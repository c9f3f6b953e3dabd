/**
 * The {@code predict} command: new raw data prepared with a model bundle's own preparation (its normalizer,
 * encoders and window) and scored on the executors, predictions written as Parquet and/or CSV.
 *
 * <p>May depend on {@code model} (the bundle and its preparation), on {@code prep} and its kinds' packages (the same
 * parsing and windowing that {@code prepare} runs), on {@code jobs.config} and on {@code jobs.evaluate}'s check that
 * the data is prepared as the model's was. Only {@code jobs.cli} depends on it.
 */
package io.sparklstm.jobs.predict;
