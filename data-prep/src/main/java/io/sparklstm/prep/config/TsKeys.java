package io.sparklstm.prep.config;

import io.sparklstm.model.settings.Section;
import io.sparklstm.model.settings.Setting;

import java.util.List;
import java.util.Optional;

/** The {@code ts} section of the configuration, which {@link TsConfig} holds and checks with this. */
public final class TsKeys {

    private TsKeys() {
    }

    /** Checked trimmed; another file than {@code input.path}, which {@link TsConfig#validateKind} checks. */
    public static final Setting<String> TEST_PATH = Setting.text("ts.testPath", "", TsKeys::hadoopPath,
            """
            .ts file(s) (file, directory or glob) whose cases are all the test split, e.g. an archive's _TEST.ts;
            input.path is then divided between train and validation in the proportion of the first two
            split.fractions. Empty: input.path is divided into train, validation and test by split.fractions.
            A file that input.path matches too is a configuration error (exit code 2).
            """);

    public static final Section SECTION = new Section("ts", List.of(TEST_PATH));

    /** Empty, or a path Hadoop can read. */
    private static Optional<String> hadoopPath(String path) {
        if (path.isEmpty()) return Optional.empty();
        try {
            new org.apache.hadoop.fs.Path(path);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of("a file, directory or glob on a Hadoop filesystem (" + e.getMessage() + ")");
        }
    }
}
