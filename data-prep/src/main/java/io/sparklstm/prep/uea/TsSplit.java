package io.sparklstm.prep.uea;

import io.sparklstm.prep.config.SplitConfig;
import io.sparklstm.prep.export.Hashing;

import java.io.Serializable;

/**
 * Which split a case of a {@code .ts} dataset goes to. Cases of test files are test; a case of an
 * {@code input.path} file goes by a seeded hash of its file index and line number
 * ({@link SplitConfig#randomSplit}): with a test file, to train or validation in the proportion
 * {@code train / (train + validation)} of {@code split.fractions} (or by fold); without one, to train, validation,
 * test or none by the fractions themselves.
 */
public record TsSplit(long seed, SplitConfig split, int inputFiles, boolean separateTest)
        implements Serializable {

    public int of(int fileIndex, long line) {
        if (fileIndex >= inputFiles) {
            return 2;
        }
        return split.randomSplit(Hashing.unit(seed, fileIndex, line), separateTest);
    }
}
