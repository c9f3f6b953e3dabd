/**
 * Distributed evaluation of a network on minibatch files, and the metrics made of it: accuracy, macro F1
 * and confusion matrix for classification; MSE, MAE and RMSE per horizon step, on the standardized and on
 * the original scale, for forecasting.
 *
 * <p>Below {@code jobs.train} and {@code jobs.registry}, which use it: it scores the bundle and the files it is given,
 * and of {@code jobs} may depend on {@code jobs.config} only (finding the bundle a {@code --model} names is the
 * registry package's {@code ModelLocation}).
 */
package io.sparklstm.jobs.evaluate;
