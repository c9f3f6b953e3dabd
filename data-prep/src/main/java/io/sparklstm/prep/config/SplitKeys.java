package io.sparklstm.prep.config;

import io.sparklstm.model.settings.Section;
import io.sparklstm.model.settings.Setting;
import io.sparklstm.model.settings.Validator;

import java.util.List;

import static io.sparklstm.model.settings.Validator.of;

/**
 * The {@code split} section of the configuration, which {@link SplitConfig} holds and checks with these; the end
 * timestamps go together, and parse with {@code timeseries.timestampFormat}, which the records check.
 */
public final class SplitKeys {

    private SplitKeys() {
    }

    public static final Setting<SplitConfig.Method> METHOD = Setting.choice("split.method", SplitConfig.Method.class,
            SplitConfig.Method.TIME, """
            time: by timestamp, within each series (timeseries); entity: whole series to train, validation and test
            in the fraction proportions, by a hash of the entity seeded with prepare.seed (timeseries with
            entityColumn); random: per sequence by a seeded hash (sequences, ts)
            """);
    public static final Setting<List<Double>> FRACTIONS = Setting.numbers("split.fractions", List.of(0.7, 0.1, 0.2),
            of((List<Double> f) -> f.size() == 3, "three fractions: train, validation, test")
                    .and(of(f -> f.stream().allMatch(x -> x >= 0 && x <= 1), "fractions in [0, 1]"))
                    .and(of(f -> f.stream().mapToDouble(Double::doubleValue).sum() <= 1 + SplitConfig.SUM_TOLERANCE,
                            "fractions that sum to at most 1"))
                    .and(of(f -> f.get(0) > 0, "a training fraction > 0")), """
            train, validation, test fractions (of each series' rows in time order for method = time; of the series
            for method = entity). Each >= 0, train > 0, at most 1 in all; what they leave (sum < 1) is in no split,
            and prepare says how much at WARN. A validation or test split whose fraction is above 0 and that gets no
            example is an input error (exit code 3); a fraction of 0 prepares without that split (with end dates too).
            """);
    /** Checked trimmed, with the other end timestamps. */
    public static final Setting<String> TRAIN_END = Setting.text("split.trainEnd", "", Validator.any(),
            """
            method = time: end timestamps (exclusive) of train, validation and test, in timeseries.timestampFormat,
            each after the one before (checked before Spark starts); empty: use fractions
            """);
    public static final Setting<String> VALIDATION_END = Setting.text("split.validationEnd", "", Validator.any(),
            """
            end (exclusive) of validation; see trainEnd
            """);
    public static final Setting<String> TEST_END = Setting.text("split.testEnd", "", Validator.any(),
            """
            end (exclusive) of test; see trainEnd. Empty: to the end of the data
            """);
    public static final Setting<SplitConfig.DuplicatesAcrossSplits> DUPLICATES_ACROSS_SPLITS = Setting.choice(
            "split.duplicatesAcrossSplits", SplitConfig.DuplicatesAcrossSplits.class,
            SplitConfig.DuplicatesAcrossSplits.AUTO, """
            examples with the same content (inputs, targets, class) in two splits, found from a hash of each example:
            fail: exit code 3 naming two files and lines (or windows) of such an example and how many there are;
            warn: say so on the console and count them in the manifest (counts.duplicatesAcrossSplits.<a>-<b>: the
            examples of the later split that also occur in the earlier one); auto: fail when the test split comes
            from files of its own (ts.testPath, where a copy of a test file under input.path is a mistake), warn for
            random and time splits, where a repeated pattern can be legitimate
            """);

    public static final Setting<Integer> FOLDS = Setting.integer("split.folds", 0,
            of((Integer k) -> k == 0 || (k >= 2 && k <= 100), "0 (no folds) or 2 to 100"), """
            cross-validation. method = random: the examples that are not test (the train and validation fractions
            together; all of input.path when ts.testPath is set) are divided by the same seeded hash into this many
            folds of about equal size; fold split.fold is the validation split, the others train. method = time
            (rolling origin): fold j validates on a range as long as the configured validation (dates or
            fraction) that ends k - 1 - j such lengths before the configured validation's end, and trains on
            everything before it (rows between its validation and the test split are in none); fold k - 1 is the
            configured split. Either way the test split stays exactly what it is without folds. Not for method =
            entity or dataset.kind = text. 0: no folds. The crossvalidate command sets this and split.fold itself
            """);
    public static final Setting<Integer> FOLD = Setting.integer("split.fold", 0, Validator.nonNegative(), """
            with split.folds = k: which fold (0 to k - 1) is the validation split
            """);

    public static final Section SECTION = new Section("split", List.of(METHOD, FRACTIONS, TRAIN_END, VALIDATION_END,
            TEST_END, DUPLICATES_ACROSS_SPLITS, FOLDS, FOLD));
}
