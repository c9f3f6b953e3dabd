package io.sparklstm.prep;

import io.sparklstm.prep.config.PerSequence;
import io.sparklstm.prep.config.PrepareConfig;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What the network is given of a labelled sequence, before the training normalizer: its channels transformed on
 * their own ({@code prepare.perSequence}), then, with {@code prepare.sequenceStats}, each channel's mean over the
 * sequence and each channel's standard deviation, as channels constant over its steps. Prepare and predict both
 * go through here, so that a case gets the same inputs in both.
 *
 * @param perSequence the transform of the sequence's own channels
 * @param stats       whether the per-channel means and standard deviations follow as channels
 */
public record SequenceInputs(PerSequence perSequence, boolean stats) implements Serializable {

    /** The sequence as it is. */
    public static final SequenceInputs RAW = new SequenceInputs(PerSequence.NONE, false);

    public SequenceInputs {
        if (perSequence == null) throw new IllegalArgumentException("perSequence is required");
    }

    public static SequenceInputs of(PrepareConfig config) {
        return new SequenceInputs(config.perSequence(), config.sequenceStats());
    }

    /** Input channels for a sequence of {@code channels}: three times as many with the statistics. */
    public int channels(int channels) {
        return stats ? 3 * channels : channels;
    }

    /** The channels a sequence of {@code inputChannels} network inputs has in its file (the inverse of {@link #channels}). */
    public int sourceChannels(int inputChannels) {
        return stats ? inputChannels / 3 : inputChannels;
    }

    /** Names of the input channels: the sequence's own, then {@code <name>.mean} and {@code <name>.std} of each. */
    public List<String> names(List<String> channels) {
        if (!stats) return channels;
        List<String> out = new ArrayList<>(channels);
        for (String c : channels) out.add(c + ".mean");
        for (String c : channels) out.add(c + ".std");
        return out;
    }

    /** A channel-major sequence ({@code [c * steps + t]}) as the network's inputs, channel-major too. */
    public double[] apply(double[] values, int steps) {
        double[] own = perSequence.apply(values, steps);
        if (!stats) return own;
        int channels = values.length / steps;
        double[] out = new double[3 * values.length];
        System.arraycopy(own, 0, out, 0, own.length);
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int t = 0; t < steps; t++) sum += values[c * steps + t];
            double mean = sum / steps;
            double squares = 0;
            for (int t = 0; t < steps; t++) squares += (values[c * steps + t] - mean) * (values[c * steps + t] - mean);
            double std = Math.sqrt(squares / steps);
            java.util.Arrays.fill(out, (channels + c) * steps, (channels + c + 1) * steps, mean);
            java.util.Arrays.fill(out, (2 * channels + c) * steps, (2 * channels + c + 1) * steps, std);
        }
        return out;
    }
}
