/**
 * Time-series tables: timestamped rows of numeric columns, split by time, standardized with training
 * statistics, sorted by series and time, and cut into forecasting windows where each sorted partition lies,
 * each followed by the first rows of the next ({@link io.sparklstm.prep.timeseries.OrderedSpans}).
 *
 * <p>A dataset kind: builds on the root package, {@code prep.config}, {@code prep.io}, {@code prep.export} and the
 * model module; other code reaches it through {@code prep.job.DatasetKinds} ({@code predict} also reads
 * {@code ForecastInputs}, its scoring windows).
 */
package io.sparklstm.prep.timeseries;
