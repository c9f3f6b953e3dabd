package io.sparklstm.prep.config;

import java.io.Serializable;
import java.util.List;

/**
 * How examples are divided into train, validation and test.
 *
 * @param method        {@code TIME}: by timestamp, per series (time series); {@code ENTITY}: whole series, by a
 *                      seeded hash; {@code RANDOM}: per sequence, by a seeded hash
 * @param fractions     train, validation and test fractions (sum <= 1); for TIME, fractions of each series'
 *                      rows in time order, used when no end dates are given; for ENTITY, of the series
 * @param trainEnd      TIME only: rows with a timestamp before this belong to train (same format as the
 *                      timestamp column); empty to use fractions
 * @param validationEnd TIME only: rows before this (and not train) belong to validation
 * @param testEnd       TIME only: rows before this (and not validation) belong to test; empty: to the end
 * @param duplicatesAcrossSplits what an example whose content also occurs in another split does
 * @param folds         RANDOM: k-fold cross-validation over the examples that are not test; TIME: rolling-origin
 *                      cross-validation, fold j validating on the configured validation's length ending
 *                      {@code folds - 1 - j} such lengths before the configured validation's end and training on
 *                      what comes before it; 0: none
 * @param fold          with folds: the fold that is the validation split
 */
public record SplitConfig(Method method, List<Double> fractions, String trainEnd, String validationEnd,
                          String testEnd, DuplicatesAcrossSplits duplicatesAcrossSplits, int folds, int fold)
        implements Serializable {

    /**
     * What examples with the same content in two splits do: FAIL is an input-data error naming two of them;
     * WARN counts them in the manifest and says so; AUTO fails when the test split comes from files of its own
     * ({@code ts.testPath}: a copy of a test file among the training files) and warns for random and time
     * splits, where a repeated pattern can be legitimate.
     */
    public enum DuplicatesAcrossSplits { AUTO, FAIL, WARN }

    /** Duplicates across splits as by default ({@link DuplicatesAcrossSplits#AUTO}). */
    public SplitConfig(Method method, List<Double> fractions, String trainEnd, String validationEnd, String testEnd) {
        this(method, fractions, trainEnd, validationEnd, testEnd, DuplicatesAcrossSplits.AUTO);
    }

    /** Without folds. */
    public SplitConfig(Method method, List<Double> fractions, String trainEnd, String validationEnd, String testEnd,
                       DuplicatesAcrossSplits duplicatesAcrossSplits) {
        this(method, fractions, trainEnd, validationEnd, testEnd, duplicatesAcrossSplits, 0, 0);
    }

    /**
     * TIME: by timestamp, per series (time series); ENTITY: whole series to one split each, by a seeded hash
     * (time series with an entity column); RANDOM: per sequence, by a seeded hash (sequences, ts).
     */
    public enum Method { TIME, ENTITY, RANDOM }

    /** How far above 1 fractions may sum (what decimal fractions such as 0.7 + 0.1 + 0.2 miss it by). */
    static final double SUM_TOLERANCE = 1e-9;

    public SplitConfig {
        if (method == null) throw Settings.invalid(SplitKeys.METHOD, null, "time, entity or random");
        if (duplicatesAcrossSplits == null) {
            throw Settings.invalid(SplitKeys.DUPLICATES_ACROSS_SPLITS, null, "auto, fail or warn");
        }
        fractions = List.copyOf(fractions);
        trainEnd = trainEnd == null ? "" : trainEnd.trim();
        validationEnd = validationEnd == null ? "" : validationEnd.trim();
        testEnd = testEnd == null ? "" : testEnd.trim();
        Settings.check(SplitKeys.FRACTIONS, fractions);
        if (!trainEnd.isEmpty()) {
            if (method != Method.TIME) {
                throw Settings.invalid(SplitKeys.TRAIN_END, trainEnd, "empty unless split.method = time");
            }
            if (validationEnd.isEmpty()) {
                throw Settings.invalid(SplitKeys.VALIDATION_END, validationEnd,
                        "a timestamp when split.trainEnd is set");
            }
        } else if (!validationEnd.isEmpty() || !testEnd.isEmpty()) {
            throw Settings.invalid(SplitKeys.TRAIN_END, trainEnd, "a timestamp when validationEnd or testEnd is set");
        }
        Settings.check(SplitKeys.FOLDS, folds);
        Settings.check(SplitKeys.FOLD, fold);
        if (folds > 0 && method == Method.ENTITY) {
            throw Settings.invalid(SplitKeys.FOLDS, folds, "0 when split.method = entity (folds are drawn by example"
                    + " with random, by time with time)");
        }
        if (folds > 0 && method == Method.TIME && trainEnd.isEmpty()) {
            double train = fractions.get(0);
            double validation = fractions.get(1);
            if (!(validation > 0)) {
                throw Settings.invalid(SplitKeys.FOLDS, folds, "0 when the validation fraction is 0 (each fold of a"
                        + " time split validates on a range of the validation fraction's length)");
            }
            if (!(train - (folds - 1) * validation > 0)) {
                throw Settings.invalid(SplitKeys.FOLDS, folds, "at most " + Math.max(1, (int) Math.ceil(train
                        / validation)) + ": the earliest fold's validation would start before any training row ("
                        + "train fraction " + train + ", validation " + validation + ", each fold one validation "
                        + "length earlier)");
            }
        }
        if (folds > 0 && fold >= folds) {
            throw Settings.invalid(SplitKeys.FOLD, fold, "a fold from 0 to split.folds - 1 = " + (folds - 1));
        }
        if (folds == 0 && fold != 0) {
            throw Settings.invalid(SplitKeys.FOLD, fold, "0 when split.folds = 0");
        }
    }

    /**
     * The split of an example of a RANDOM split, from its seeded uniform hash {@code u} in [0, 1): 0 train,
     * 1 validation, 2 test, -1 none. With {@code separateTest} (the test split comes from files of its own)
     * every example is train or validation, in the proportion of the first two fractions; else the fractions
     * divide [0, 1) in order. With folds the test range stays the same, and what would be train or validation
     * is cut into {@code folds} equal ranges of u, fold {@link #fold} the validation split.
     */
    public int randomSplit(double u, boolean separateTest) {
        double train = fractions.get(0);
        double validation = fractions.get(1);
        double pool = separateTest ? 1.0 : train + validation;
        if (folds > 0 && u < pool) {
            return Math.min(folds - 1, (int) (u / pool * folds)) == fold ? 1 : 0;
        }
        if (separateTest) {
            return u < train / (train + validation) ? 0 : 1;
        }
        return u < train ? 0
                : u < train + validation ? 1
                : u < train + validation + fractions.get(2) ? 2 : -1;
    }

    public boolean byDates() {
        return !trainEnd.isEmpty();
    }
}
