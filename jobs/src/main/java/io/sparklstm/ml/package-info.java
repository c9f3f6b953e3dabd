/**
 * The Spark ML API: {@link io.sparklstm.ml.LstmClassifier}, an {@code Estimator} of sequence classifiers that
 * composes with Spark's {@code Pipeline}, {@code CrossValidator} and evaluators. It adds no second implementation of
 * preparation or training: {@code fit} writes the DataFrame as a dataset the {@code prepare} command reads, and runs
 * the same preparation and the same distributed training (dl4j-spark parameter averaging) as the command line, with
 * its parameters translated into configuration keys that the command line's validation checks. The fitted
 * {@link io.sparklstm.ml.LstmClassificationModel} scores on the executors, and saves as a model bundle that
 * {@code spark-lstm predict} and {@code evaluate} read, with Spark's metadata beside it.
 */
package io.sparklstm.ml;
