/**
 * Time-series tables: timestamped rows of numeric columns, split by time, standardized with training
 * statistics, cut into forecasting windows in parallel chunks that overlap by one window.
 */
package io.sparklstm.prep.timeseries;
