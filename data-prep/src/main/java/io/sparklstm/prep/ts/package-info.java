/**
 * The sktime/UEA {@code .ts} format (dataset kind {@code ts}): labelled multichannel sequences of variable
 * length, one case per line after a header of {@code @} lines, for sequence classification. The header is
 * read on the driver; the cases are parsed on the executors, split (a separate test file, or a seeded hash),
 * standardized per channel with statistics of the training cases, and exported with padding and masks.
 */
package io.sparklstm.prep.ts;
