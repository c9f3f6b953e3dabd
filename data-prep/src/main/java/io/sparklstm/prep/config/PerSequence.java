package io.sparklstm.prep.config;

import java.util.Locale;

/**
 * {@code prepare.perSequence}: what is done to each sequence of the sequence kinds ({@code sequences},
 * {@code ts}) on its own, with its own statistics, before the normalizer fitted on the training split. Where the
 * class lies in a sequence's shape rather than its level or scale (a trend against a step, whatever the baseline
 * of the recording), taking each sequence's own mean (and spread) out lets the network compare shapes; where the
 * level itself tells the classes apart it throws that away. Each case is transformed from its own values only,
 * so prepare and predict give a case the same inputs whatever else is in the data. It needs the whole sequence:
 * a model prepared with it cannot be fed one step at a time before the sequence is complete.
 */
public enum PerSequence {
    /** The values as they are. */
    NONE,
    /** Each channel of a sequence minus its mean over the sequence's steps. */
    CENTER,
    /**
     * Each channel of a sequence minus its mean, divided by its population standard deviation over the sequence's
     * steps; a channel constant over the sequence becomes all zeros (its spread taken as 1).
     */
    STANDARDIZE;

    /** The configuration value, as written in {@code prepare.perSequence}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * A sequence laid out channel-major ({@code [c * steps + t]}) transformed; the values themselves for
     * {@link #NONE}, a new array otherwise.
     */
    public double[] apply(double[] values, int steps) {
        if (this == NONE) return values;
        double[] out = new double[values.length];
        for (int from = 0; from < values.length; from += steps) {
            double sum = 0;
            for (int t = from; t < from + steps; t++) sum += values[t];
            double mean = sum / steps;
            double squares = 0;
            for (int t = from; t < from + steps; t++) squares += (values[t] - mean) * (values[t] - mean);
            double scale = this == STANDARDIZE ? spread(Math.sqrt(squares / steps), mean) : 1.0;
            for (int t = from; t < from + steps; t++) out[t] = (values[t] - mean) / scale;
        }
        return out;
    }

    /** The standard deviation, or 1 where it is nothing against the level (as the training normalizer has it). */
    private static double spread(double std, double mean) {
        return std > 1e-12 * Math.max(1.0, Math.abs(mean)) ? std : 1.0;
    }
}
