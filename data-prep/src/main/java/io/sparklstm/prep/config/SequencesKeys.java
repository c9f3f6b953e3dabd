package io.sparklstm.prep.config;

import io.sparklstm.model.settings.Section;
import io.sparklstm.model.settings.Setting;
import io.sparklstm.model.settings.Validator;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import static io.sparklstm.model.settings.Validator.of;

/** The {@code sequences} section of the configuration, which {@link SequencesConfig} holds and checks with these. */
public final class SequencesKeys {

    private SequencesKeys() {
    }

    public static final Setting<String> SEPARATOR = Setting.text("sequences.separator", "\\s+",
            Validator.nonBlank().and(SequencesKeys::regex), """
            regular expression between values
            """);
    public static final Setting<Integer> CHANNELS = Setting.integer("sequences.channels", 1, Validator.positive(),
            """
            values per time step; a line holds all steps of channel 0, then channel 1, ...
            """);
    public static final Setting<SequencesConfig.Label> LABEL = Setting.choice("sequences.label",
            SequencesConfig.Label.class, SequencesConfig.Label.LAST_FIELD, """
            row_block: class = data-line index / rowsPerClass; first_field / last_field: a label field
            """);
    /** Checked only where {@link #LABEL} is {@code row_block}. */
    public static final Setting<Integer> ROWS_PER_CLASS = Setting.integer("sequences.rowsPerClass", 100,
            Validator.positive(), """
            row_block without classNames: the last block of every file must be whole (a shorter one is an input
            error rather than a class of stray lines; naming the classes accepts it)
            """);
    /** A single class could not be told from anything. */
    public static final Setting<List<String>> CLASS_NAMES = Setting.texts("sequences.classNames", List.of(),
            of(names -> names.size() != 1, "at least two classes, or none"), """
            class names in index order; empty: classes are named by index. A label (or row block) past them is a
            malformed record (see input.onBadRecord)
            """);

    public static final Section SECTION = new Section("sequences", List.of(SEPARATOR, CHANNELS, LABEL,
            ROWS_PER_CLASS, CLASS_NAMES));

    private static Optional<String> regex(String separator) {
        try {
            Pattern.compile(separator);
            return Optional.empty();
        } catch (PatternSyntaxException e) {
            return Optional.of("a regular expression (" + e.getDescription() + ")");
        }
    }
}
