package io.sparklstm.prep.config;

import io.sparklstm.model.settings.Section;
import io.sparklstm.model.settings.Setting;
import io.sparklstm.model.settings.Validator;

import java.util.List;

/**
 * The {@code prepare} section of the configuration, which {@link PrepareConfig} holds and checks with these; which
 * dataset kinds take {@link #PER_SEQUENCE} and {@link #SEQUENCE_STATS} the kinds check.
 */
public final class PrepareKeys {

    private PrepareKeys() {
    }

    public static final Setting<Boolean> NORMALIZE = Setting.bool("prepare.normalize", true,
            """
            standardize every feature with mean and std of the training split
            """);
    public static final Setting<PerSequence> PER_SEQUENCE = Setting.choice("prepare.perSequence", PerSequence.class,
            PerSequence.NONE, """
            sequences and ts: each sequence on its own, before the normalizer (which is fitted on the result):
            none: as it is; center: each channel minus its mean over the sequence; standardize: minus its mean, divided
            by its standard deviation over the sequence (a channel constant within the sequence becomes 0). For classes
            told apart by shape rather than level or scale; alone it discards each sequence's level (and scale), which
            loses where the level is what differs (see sequenceStats). predict applies the model's own. none for
            timeseries and text
            """);
    public static final Setting<Boolean> SEQUENCE_STATS = Setting.bool("prepare.sequenceStats", false,
            """
            sequences and ts: each channel's mean and standard deviation over the sequence follow its channels as inputs
            constant over its steps (three input channels per channel, named <channel>.mean and <channel>.std), so that
            with perSequence the network sees the shape and the level and scale apart. false for timeseries and text
            """);
    public static final Setting<Integer> MINIBATCH_SIZE = Setting.integer("prepare.minibatchSize", 32,
            Validator.positive(), """
            examples per minibatch file
            """);
    public static final Setting<Long> SEED = Setting.longInteger("prepare.seed", 12345, """
            seed of the random split and of the shuffling of training examples
            """);

    public static final Section SECTION = new Section("prepare", List.of(NORMALIZE, PER_SEQUENCE, SEQUENCE_STATS,
            MINIBATCH_SIZE, SEED));
}
