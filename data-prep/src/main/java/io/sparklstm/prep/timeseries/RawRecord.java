package io.sparklstm.prep.timeseries;

import java.io.Serializable;
import java.util.List;

/**
 * One input row before parsing, from a CSV line or a Parquet row.
 *
 * @param fileIndex index of the file in the {@code InputFiles} order
 * @param file      the file, for messages
 * @param line      1-based line (CSV) or row (Parquet) number in the file
 * @param fields    the fields in header (schema) order; a null field is missing (a Parquet null)
 * @param text      the row as read, for messages and the rejected records
 */
public record RawRecord(int fileIndex, String file, long line, List<String> fields, String text)
        implements Serializable {
}
