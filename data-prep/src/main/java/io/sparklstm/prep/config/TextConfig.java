package io.sparklstm.prep.config;

import java.io.Serializable;

/**
 * Character-level text for next-character prediction: the text is cut by position into sequences of
 * {@code sequenceSteps} characters, each labelled at every step with the character that follows.
 *
 * @param sequenceSteps    input characters per sequence (the last sequence of a split may be shorter)
 * @param strideSteps      characters between the starts of consecutive sequences; 0: {@code sequenceSteps}
 *                         (sequences meet without overlap). A stride below {@code sequenceSteps} repeats
 *                         characters in several sequences and multiplies the data written.
 * @param unseenCharacters what a validation or test character that the training split lacks becomes:
 *                         {@code ERROR} fails the preparation, naming the character and where it is;
 *                         {@code UNKNOWN} maps it to a reserved class {@value #UNKNOWN_CLASS} at the end of
 *                         the vocabulary (counted in the manifest; the model never learns to predict it)
 */
public record TextConfig(int sequenceSteps, int strideSteps, UnseenCharacters unseenCharacters)
        implements Serializable {

    /** What becomes of a character outside the training vocabulary. */
    public enum UnseenCharacters { ERROR, UNKNOWN }

    /** Name of the reserved class of characters outside the training vocabulary (never one character). */
    public static final String UNKNOWN_CLASS = "<unk>";

    /** The declared defaults. */
    public static final TextConfig DEFAULTS = new TextConfig(TextKeys.SEQUENCE_STEPS.defaultValue(),
            TextKeys.STRIDE_STEPS.defaultValue(), TextKeys.UNSEEN_CHARACTERS.defaultValue());

    public TextConfig {
        Settings.check(TextKeys.SEQUENCE_STEPS, sequenceSteps);
        if (strideSteps < 0 || strideSteps > sequenceSteps) {
            throw Settings.invalid(TextKeys.STRIDE_STEPS, strideSteps, "0 (= text.sequenceSteps) or 1 to "
                    + "text.sequenceSteps " + sequenceSteps
                    + " (a longer stride would leave characters out of every sequence)");
        }
        if (unseenCharacters == null) {
            throw Settings.invalid(TextKeys.UNSEEN_CHARACTERS, null, "error or unknown");
        }
    }

    /** These settings with sequences of {@code steps} characters that meet without overlap. */
    public TextConfig withSteps(int steps) {
        return new TextConfig(steps, 0, unseenCharacters);
    }

    /** Characters between the starts of consecutive sequences. */
    public int stride() {
        return strideSteps == 0 ? sequenceSteps : strideSteps;
    }

    /**
     * The cross-key checks of {@code dataset.kind = text}, run by {@link PrepareConfig}'s constructor: one text
     * split by position, every character kept, none of the other kinds' settings.
     */
    static void validateKind(PrepareConfig config) {
        PrepareConfig.refuseEntitySplit(config.split());
        if (config.input().quarantine()) {
            throw Settings.invalid(InputKeys.ON_BAD_RECORD, "quarantine", "fail for dataset.kind = text: text has no "
                    + "records to set aside, every character is part of the sequences, and dropping the ones "
                    + "that are not valid in input.encoding would corrupt them (the job stops at the first such "
                    + "line, naming file and line; quarantine is for timeseries, sequences and ts)");
        }
        PrepareConfig.refuseParquet(config.input());
        PrepareConfig.requireSplit(config.split(), "text", "the text is split by position, in blocks",
                SplitConfig.Method.TIME);
        if (config.split().folds() > 0) {
            throw Settings.invalid(SplitKeys.FOLDS, config.split().folds(), "0 for dataset.kind = text (its blocks "
                    + "are not cut into folds)");
        }
        if (config.split().byDates()) {
            throw Settings.invalid(SplitKeys.TRAIN_END, config.split().trainEnd(),
                    "empty for dataset.kind = text (text has no timestamps; use split.fractions)");
        }
        PrepareConfig.refuseCaseInputs(config);
        PrepareConfig.refuseTestPath(config.ts());
    }
}
