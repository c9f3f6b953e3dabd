package io.sparklstm.prep.config;

import java.io.Serializable;
import java.util.List;

/**
 * Labelled sequences, one per line: the values of each channel over all steps, then (or before) a label.
 *
 * @param separator   regular expression between values (e.g. {@code \s+} for runs of blanks)
 * @param channels    values per time step; a line holds all steps of channel 0, then of channel 1, ...
 * @param label       where the label comes from
 * @param rowsPerClass ROW_BLOCK only: the class of a line is its zero-based data-line index divided by this
 * @param classNames  names of the classes in index order; a label column may hold these names or indices.
 *                    Empty: classes are named by their index, and the count is the largest label + 1.
 */
public record SequencesConfig(String separator, int channels, Label label, int rowsPerClass,
                              List<String> classNames) implements Serializable {

    /** Where a line's label is. */
    public enum Label {
        /** Blocks of {@code rowsPerClass} consecutive lines per class (e.g. UCI synthetic control). */
        ROW_BLOCK,
        /** The first field of the line. */
        FIRST_FIELD,
        /** The last field of the line. */
        LAST_FIELD,
        /** No label: every field is a value. For scoring unlabelled data with {@code predict}; prepare refuses it. */
        NONE
    }

    public SequencesConfig {
        Settings.check(SequencesKeys.SEPARATOR, separator);
        Settings.check(SequencesKeys.CHANNELS, channels);
        if (label == null) {
            throw Settings.invalid(SequencesKeys.LABEL, null, "row_block, first_field, last_field or none");
        }
        if (label == Label.ROW_BLOCK) Settings.check(SequencesKeys.ROWS_PER_CLASS, rowsPerClass);
        classNames = Settings.check(SequencesKeys.CLASS_NAMES, List.copyOf(classNames));
    }

    /**
     * The cross-key checks of {@code dataset.kind = sequences}, run by {@link PrepareConfig}'s constructor: lines
     * of a text file, split at random.
     */
    static void validateKind(PrepareConfig config) {
        PrepareConfig.refuseEntitySplit(config.split());
        PrepareConfig.refuseParquet(config.input());
        PrepareConfig.requireSplit(config.split(), "sequences", "lines carry no timestamp", SplitConfig.Method.RANDOM);
        PrepareConfig.refuseTestPath(config.ts());
    }
}
