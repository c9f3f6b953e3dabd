package io.sparklstm.prep.export;

import java.io.Serializable;

/**
 * One training example before batching: a sequence (or window) with its label.
 *
 * @param split      0 train, 1 validation, 2 test
 * @param entity     the series or file it comes from, for ordering
 * @param position   its place within the entity (row index of the window start, or line number)
 * @param steps      time steps of this sequence
 * @param features   {@code channels x steps} values, channel-major ({@code [c * steps + t]})
 * @param target     forecast values {@code [h * targets + j]}; for per-step labels, the class index of
 *                   each step {@code [t]}; empty for classification
 * @param classIndex class label; -1 for forecasting and per-step labels
 */
public record Example(int split, String entity, long position, int steps, float[] features, float[] target,
                      int classIndex) implements Serializable {

    /**
     * A 128-bit hash of what the network sees and learns from this example: its steps, inputs, targets and
     * class. Two examples with the same content have the same hash, wherever they come from.
     */
    public long[] contentHash() {
        long a = Hashing.mix(0x5EED_0001L, steps, classIndex);
        long b = Hashing.mix(0x5EED_0002L, classIndex, steps);
        for (float f : features) {
            int bits = Float.floatToIntBits(f == 0f ? 0f : f);
            a = Hashing.mix(a, bits, 1);
            b = Hashing.mix(b, bits, 2);
        }
        a = Hashing.mix(a, features.length, target.length);
        b = Hashing.mix(b, target.length, features.length);
        for (float f : target) {
            int bits = Float.floatToIntBits(f == 0f ? 0f : f);
            a = Hashing.mix(a, bits, 3);
            b = Hashing.mix(b, bits, 4);
        }
        return new long[]{a, b};
    }

    /** A labelled sequence read from one line of one input file; its position orders it by file and line. */
    public static Example ofLine(int split, int fileIndex, long line, int steps, float[] features, int classIndex) {
        return new Example(split, "", ((long) fileIndex << 40) | line, steps, features, new float[0], classIndex);
    }
}
