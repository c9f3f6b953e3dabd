package io.sparklstm.prep.config;

import io.sparklstm.model.settings.Section;
import io.sparklstm.model.settings.Setting;
import io.sparklstm.model.settings.Validator;

import java.nio.charset.Charset;
import java.util.List;

import static io.sparklstm.model.settings.Validator.of;

/** The {@code input} section of the configuration, which {@link InputConfig} holds and checks with these. */
public final class InputKeys {

    private InputKeys() {
    }

    /** Checked trimmed; required by the commands that read raw data, which say so. */
    public static final Setting<String> PATH = Setting.text("input.path", "", Validator.any(), """
            a file, directory or glob on any Hadoop filesystem: file://, hdfs://, s3a://, or a plain local path
            """);
    public static final Setting<String> DELIMITER = Setting.text("input.delimiter", ",",
            of(d -> d != null && d.length() == 1, "a single character"), """
            CSV field separator (timeseries)
            """);
    public static final Setting<Boolean> HEADER = Setting.bool("input.header", true, """
            whether the first line of every file names the columns
            """);
    public static final Setting<String> ENCODING = Setting.text("input.encoding", "UTF-8",
            of(InputKeys::supported, "a character set this JVM supports, e.g. UTF-8"), """
            character set of the input files
            """);
    public static final Setting<InputConfig.Format> FORMAT = Setting.choice("input.format", InputConfig.Format.class,
            InputConfig.Format.CSV, """
            csv or parquet (timeseries only): parquet reads a Parquet file, directory or glob with Spark, columns by
            name; timestamp and date columns are formatted with timeseries.timestampFormat, nulls are missing values
            """);
    /** Trimmed by {@link InputConfig}. */
    public static final Setting<List<String>> NA_TOKENS = Setting.texts("input.naTokens", List.of("NA", "", "NaN"),
            """
            field texts that mean "missing" (timeseries); compared after trimming
            """);
    public static final Setting<List<Double>> SENTINELS = Setting.numbers("input.sentinels", List.of(),
            of(s -> s.stream().allMatch(v -> v != null && Double.isFinite(v)), "finite numbers"),
            """
            numbers that mean "missing" (timeseries), e.g. [-9999]
            """);
    public static final Setting<InputConfig.BadRecords> ON_BAD_RECORD = Setting.choice("input.onBadRecord",
            InputConfig.BadRecords.class, InputConfig.BadRecords.FAIL, """
            what a malformed record does: a timeseries row (wrong field count, unparsable number or timestamp), a
            sequences line (values not in whole channels, a value that is not a finite number, an unknown or out of
            range label, a length other than most lines'), a ts case line (wrong channel count, channels of unequal
            length, '?' or a non-number, an unknown label):
            fail: stop with exit code 3, naming file, line and text;
            quarantine: write it with its reason, file, line and text to rejected/ (JSON lines) in the output, count
            it in the manifest (counts.rejectedRecords), leave it out of every other count and go on.
            A .ts header error always fails. text has no records: it must be "fail" (a line not valid in
            input.encoding stops the job naming file and line; dropping characters would corrupt the sequences).
            predict on sequences or ts data always fails on a malformed line (it writes no rejected/).
            """);

    public static final Section SECTION = new Section("input", List.of(PATH, DELIMITER, HEADER, ENCODING, FORMAT,
            NA_TOKENS, SENTINELS, ON_BAD_RECORD));

    private static boolean supported(String encoding) {
        try {
            Charset.forName(encoding);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
