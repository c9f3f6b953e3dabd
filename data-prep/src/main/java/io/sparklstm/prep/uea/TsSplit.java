package io.sparklstm.prep.uea;

import io.sparklstm.prep.export.Hashing;

import java.io.Serializable;
import java.util.List;

/**
 * Which split a case of a {@code .ts} dataset goes to. Cases of test files are test; a case of an
 * {@code input.path} file goes by a seeded hash of its file index and line number: with a test file, to
 * train or validation in the proportion {@code train / (train + validation)} of {@code split.fractions};
 * without one, to train, validation, test or none by the fractions themselves.
 */
public record TsSplit(long seed, List<Double> fractions, int inputFiles, boolean separateTest)
        implements Serializable {

    public TsSplit {
        fractions = List.copyOf(fractions);
    }

    public int of(int fileIndex, long line) {
        if (fileIndex >= inputFiles) {
            return 2;
        }
        double u = Hashing.unit(seed, fileIndex, line);
        double train = fractions.get(0);
        double validation = fractions.get(1);
        if (separateTest) {
            return u < train / (train + validation) ? 0 : 1;
        }
        return u < train ? 0
                : u < train + validation ? 1
                : u < train + validation + fractions.get(2) ? 2 : -1;
    }
}
