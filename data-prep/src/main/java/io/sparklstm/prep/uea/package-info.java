/**
 * The sktime/UEA {@code .ts} format (dataset kind {@code ts}): labelled multichannel sequences of variable
 * length, one case per line after a header of {@code @} lines, for sequence classification. The header is
 * read on the driver; the cases are parsed on the executors, split (a separate test file, or a seeded hash),
 * standardized per channel with statistics of the training cases, and exported with padding and masks.
 *
 * <p>Named for the archive the format comes from (UEA/UCR, as sktime writes it) rather than for the file
 * extension, which read like an abbreviation of {@code timeseries} beside {@code prep.timeseries}. The kind keeps
 * its name {@code ts} in configurations and manifests; no class of this package is persisted by name (Kryo
 * registers classes by number, in {@code prep.job.DatasetKinds}' order, and only for a job's own shuffles and caches).
 *
 * <p>A dataset kind: builds on the root package, {@code prep.config}, {@code prep.io}, {@code prep.export} and the
 * model module; other code reaches it through {@code prep.job.DatasetKinds}.
 */
package io.sparklstm.prep.uea;
