/**
 * Distributed evaluation of a network on minibatch files, and the metrics made of it: accuracy, macro F1
 * and confusion matrix for classification; MSE, MAE and RMSE per horizon step, on the standardized and on
 * the original scale, for forecasting.
 */
package io.sparklstm.jobs.evaluate;
