/**
 * Data preparation: Spark jobs that read raw sequence data from any Hadoop filesystem, clean, split and
 * normalize it, cut it into sequences or windows, and export DL4J minibatch files with a manifest. Nothing
 * but small metadata reaches the driver.
 *
 * <p>This package holds what every dataset kind builds on: the interface a kind implements
 * ({@code DatasetKindSupport}), the examples and counts it hands back ({@code PreparedExamples},
 * {@code PartitionCounts}, {@code Rejection}, {@code Tally}), the shapes {@code predict} scores
 * ({@code ScoringCases}). It uses the model module, {@code prep.config}, {@code prep.io} and {@code prep.export};
 * never a kind's package nor {@code prep.job}, which runs the kinds ({@code PackageCyclesTest}).
 */
package io.sparklstm.prep;
