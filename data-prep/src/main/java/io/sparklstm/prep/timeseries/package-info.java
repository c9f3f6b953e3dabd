/**
 * Time-series tables: timestamped rows of numeric columns, split by time, standardized with training
 * statistics, sorted by series and time, and cut into forecasting windows where each sorted partition lies,
 * each followed by the first rows of the next ({@link io.sparklstm.prep.timeseries.OrderedSpans}).
 */
package io.sparklstm.prep.timeseries;
