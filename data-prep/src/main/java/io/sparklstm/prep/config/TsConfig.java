package io.sparklstm.prep.config;

import java.io.Serializable;

/**
 * Settings of the TS kind (sktime/UEA {@code .ts} files). The files describe themselves in their header
 * ({@code @dimensions}, {@code @classLabel true ...}), so only the splits are configured here.
 *
 * @param testPath a file, directory or glob of {@code .ts} files whose cases are all the test split (e.g. an
 *                 archive's {@code _TEST.ts}); {@code input.path} is then divided between train and
 *                 validation. Empty: {@code input.path} is divided into all three splits by
 *                 {@code split.fractions}.
 */
public record TsConfig(String testPath) implements Serializable {

    public TsConfig {
        testPath = testPath == null ? "" : testPath.trim();
        if (!testPath.isEmpty()) {
            try {
                new org.apache.hadoop.fs.Path(testPath);
            } catch (IllegalArgumentException e) {
                throw Settings.invalid("ts.testPath", testPath,
                        "a file, directory or glob on a Hadoop filesystem (" + e.getMessage() + ")");
            }
        }
    }

    /** Whether a separate test file (or glob) is given. */
    public boolean hasTestPath() {
        return !testPath.isEmpty();
    }
}
