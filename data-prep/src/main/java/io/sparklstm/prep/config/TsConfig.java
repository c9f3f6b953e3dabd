package io.sparklstm.prep.config;

import io.sparklstm.model.settings.InvalidSetting;

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
        testPath = Settings.check(TsKeys.TEST_PATH, testPath == null ? "" : testPath.trim());
    }

    /** Whether a separate test file (or glob) is given. */
    public boolean hasTestPath() {
        return !testPath.isEmpty();
    }

    /**
     * The cross-key checks of {@code dataset.kind = ts}, run by {@link PrepareConfig}'s constructor: {@code .ts}
     * files split at random, and a test path that is not the input.
     */
    static void validateKind(PrepareConfig config) {
        PrepareConfig.refuseEntitySplit(config.split());
        PrepareConfig.refuseParquet(config.input());
        PrepareConfig.requireSplit(config.split(), "ts", "cases carry no time of their own", SplitConfig.Method.RANDOM);
        TsConfig ts = config.ts();
        if (ts.hasTestPath() && PrepareConfig.samePath(config.input().path(), ts.testPath())) {
            throw Settings.invalid(TsKeys.TEST_PATH, ts.testPath(), "other files than input.path = "
                    + InvalidSetting.quoted(config.input().path()) + " (a case cannot be in training and test)");
        }
    }
}
