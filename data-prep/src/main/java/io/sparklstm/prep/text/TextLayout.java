package io.sparklstm.prep.text;

import java.io.Serializable;

/**
 * Where the splits and sequences lie in a text of {@code length} characters. The splits are contiguous
 * blocks: train {@code [0, b1)}, validation {@code [b1, b2)}, test {@code [b2, b3)}; characters from
 * {@code b3} on (when the fractions sum to less than 1) are in none. In a block {@code [a, b)} sequence
 * {@code k} starts at {@code a + k * stride} and reads {@code steps} characters (the last of a block may read
 * fewer), each labelled with the character after it, so it spans {@code steps + 1} characters and never one
 * outside its block. The last sequence reaches the block's end: every character of a block is read or
 * predicted, and {@code b - a - 1} characters are predicted.
 */
final class TextLayout implements Serializable {

    private final long[] bounds;
    private final int steps;
    private final int stride;

    TextLayout(long length, java.util.List<Double> fractions, int steps, int stride) {
        double f0 = fractions.get(0);
        double f1 = fractions.get(1);
        double f2 = fractions.get(2);
        long b1 = (long) Math.floor(length * f0);
        long b2 = (long) Math.floor(length * (f0 + f1));
        long b3 = f0 + f1 + f2 >= 1 - 1e-9 ? length : (long) Math.floor(length * (f0 + f1 + f2));
        this.bounds = new long[]{0, b1, Math.max(b1, b2), Math.max(Math.max(b1, b2), b3)};
        this.steps = steps;
        this.stride = stride;
    }

    /** First position of a split (0 train, 1 validation, 2 test). */
    long from(int split) {
        return bounds[split];
    }

    /** End (exclusive) of a split. */
    long to(int split) {
        return bounds[split + 1];
    }

    /** The split of a position: 0, 1, 2, or -1 after the test block. */
    int splitOf(long position) {
        for (int s = 0; s < 3; s++) {
            if (position < bounds[s + 1]) return s;
        }
        return -1;
    }

    /** Sequences of a split. */
    long sequences(int split) {
        long a = from(split);
        long b = to(split);
        long predicted = b - a - 1;
        if (predicted < 1) return 0;
        if (predicted <= steps) return 1;
        long lastFull = (predicted - steps) / stride;
        return a + lastFull * stride + steps == b - 1 ? lastFull + 1 : lastFull + 2;
    }

    /** Index in its split of the sequence that starts at {@code start}. */
    long sequenceAt(int split, long start) {
        return (start - from(split)) / stride;
    }

    long start(int split, long k) {
        return from(split) + k * stride;
    }

    /** Characters read (and predicted) by sequence {@code k} of a split. */
    int steps(int split, long k) {
        return (int) Math.min(steps, to(split) - 1 - start(split, k));
    }

    /** Characters predicted in a split: every one but its first. */
    long predicted(int split) {
        return Math.max(0, to(split) - from(split) - 1);
    }

    /** First sequence of a split that may span position {@code p} of that split. */
    long firstSequenceAt(int split, long p) {
        long offset = p - from(split) - steps;
        return offset <= 0 ? 0 : (offset + stride - 1) / stride;
    }

    /** Last sequence of a split that may span position {@code p} of that split. */
    long lastSequenceAt(int split, long p) {
        return Math.min(sequences(split) - 1, (p - from(split)) / stride);
    }
}
