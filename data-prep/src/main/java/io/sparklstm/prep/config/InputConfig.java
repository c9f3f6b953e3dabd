package io.sparklstm.prep.config;

import java.io.Serializable;
import java.util.List;

/**
 * Where the raw data is, how it is laid out, and what to do with values and rows that are not data.
 *
 * @param path        a file, directory or glob on any Hadoop filesystem ({@code file://}, {@code hdfs://},
 *                    {@code s3a://}, or a plain local path); required by the commands that read raw data
 * @param delimiter   field separator of CSV tables (one character)
 * @param header      whether the first line of every file names the columns
 * @param encoding    character set of the files
 * @param format      CSV text or Parquet files (time-series tables)
 * @param naTokens    field texts that mean "missing" (compared after trimming, case-sensitive)
 * @param sentinels   numbers that mean "missing" (e.g. -9999)
 * @param onBadRecord what a malformed record does: fail the job, or go to {@code rejected/} with its reason
 */
public record InputConfig(String path, String delimiter, boolean header, String encoding, Format format,
                          List<String> naTokens, List<Double> sentinels, BadRecords onBadRecord)
        implements Serializable {

    /** The default missing-value tokens. */
    public static final List<String> DEFAULT_NA_TOKENS = InputKeys.NA_TOKENS.defaultValue();

    /** File formats of time-series tables. */
    public enum Format { CSV, PARQUET }

    /**
     * What a malformed record (a time-series row, a {@code sequences} line, a {@code ts} case line) does. The
     * text kind has no records and only fails.
     */
    public enum BadRecords {
        /** Stop with an input-data error naming the file, line and text. */
        FAIL,
        /** Write it with its reason, file and line under {@code rejected/} and count it. */
        QUARANTINE
    }

    /** CSV input, the default missing-value tokens, no sentinels, failing on bad records. */
    public InputConfig(String path, String delimiter, boolean header, String encoding) {
        this(path, delimiter, header, encoding, Format.CSV, DEFAULT_NA_TOKENS, List.of(), BadRecords.FAIL);
    }

    public InputConfig {
        path = path == null ? "" : path.trim();
        Settings.check(InputKeys.DELIMITER, delimiter);
        Settings.check(InputKeys.ENCODING, encoding);
        if (format == null) throw Settings.invalid(InputKeys.FORMAT, null, "csv or parquet");
        if (naTokens == null) throw Settings.invalid(InputKeys.NA_TOKENS, null, "a list of strings");
        naTokens = naTokens.stream().map(String::trim).distinct().toList();
        if (sentinels == null) throw Settings.invalid(InputKeys.SENTINELS, null, "a list of numbers");
        sentinels = List.copyOf(Settings.check(InputKeys.SENTINELS, sentinels));
        if (onBadRecord == null) throw Settings.invalid(InputKeys.ON_BAD_RECORD, null, "fail or quarantine");
    }

    public char delimiterChar() {
        return delimiter.charAt(0);
    }

    public boolean quarantine() {
        return onBadRecord == BadRecords.QUARANTINE;
    }
}
