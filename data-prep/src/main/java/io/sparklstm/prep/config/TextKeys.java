package io.sparklstm.prep.config;

import io.sparklstm.model.settings.Section;
import io.sparklstm.model.settings.Setting;
import io.sparklstm.model.settings.Validator;

import java.util.List;

/** The {@code text} section of the configuration, which {@link TextConfig} holds and checks with these. */
public final class TextKeys {

    private TextKeys() {
    }

    public static final Setting<Integer> SEQUENCE_STEPS = Setting.integer("text.sequenceSteps", 100,
            Validator.positive(), """
            The files are one text, in input order, line ends as \\n. Split by position into contiguous blocks by
            split.fractions; the vocabulary is the training block's characters.
            input characters per sequence; each is labelled with the character after it
            """);
    /** 0 or 1 to {@link #SEQUENCE_STEPS}, which {@link TextConfig} checks (the message names that value). */
    public static final Setting<Integer> STRIDE_STEPS = Setting.integer("text.strideSteps", 0, Validator.any(),
            """
            characters between the starts of consecutive sequences; 0: sequenceSteps (no overlap). At most sequenceSteps
            """);
    public static final Setting<TextConfig.UnseenCharacters> UNSEEN_CHARACTERS = Setting.choice(
            "text.unseenCharacters", TextConfig.UnseenCharacters.class, TextConfig.UnseenCharacters.ERROR,
            """
            a validation or test character the training block lacks: error (fail, naming it and its line) or
            unknown (map it to a reserved last class "<unk>", counted in the manifest)
            """);

    public static final Section SECTION = new Section("text", List.of(SEQUENCE_STEPS, STRIDE_STEPS,
            UNSEEN_CHARACTERS));
}
