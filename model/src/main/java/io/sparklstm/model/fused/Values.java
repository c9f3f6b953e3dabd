package io.sparklstm.model.fused;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Element access, from Java, to the memory of an ND4J array on the CPU backend, in single or double precision, by
 * linear index in C order. Back-propagation's per-step element-wise work runs through this instead of ND4J
 * operations: on this backend each operation and each view costs 10-35 µs however small the arrays, which at a few
 * hundred units cost more than the arithmetic.
 */
abstract class Values {

    /** No elements: every index is out of bounds. */
    private static final Values EMPTY = new Doubles(DoubleBuffer.allocate(0), 0);

    /**
     * Reads {@code a} (writing throws): its own memory where it is {@link #contiguous}, else a contiguous copy. The
     * fused passes allocate their arrays C-ordered; only a carried initial state may not be contiguous, as DL4J's
     * own layers leave theirs ({@code [minibatch, units]} in 'f' order).
     */
    static Values of(INDArray a) {
        return over(contiguous(a) ? a : a.dup('c'), false);
    }

    /** Reads and writes {@code a}'s own memory, which must be {@link #contiguous}: a write to a copy would be lost. */
    static Values writable(INDArray a) {
        if (!contiguous(a)) {
            throw new IllegalArgumentException("not a contiguous C-ordered array, so it cannot be written in place: "
                    + a.shapeInfoToString());
        }
        return over(a, true);
    }

    /**
     * Whether the elements of {@code a}, in C order, lie one after another in memory: leaving out the dimensions of
     * size 1, whose strides never matter (ND4J gives the {@code [1, n]} row of a one-example minibatch the strides
     * {@code [1, 1]}), each stride is the product of the sizes after it. A scalar and an empty array qualify.
     */
    static boolean contiguous(INDArray a) {
        long expected = 1;
        for (int d = a.rank() - 1; d >= 0; d--) {
            long size = a.size(d);
            if (size == 0) return true;
            if (size == 1) continue;
            if (a.stride(d) != expected) return false;
            expected *= size;
        }
        return true;
    }

    private static Values over(INDArray a, boolean writable) {
        DataType type = a.dataType();
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("not a floating-point array: " + type);
        }
        if (a.isEmpty()) return EMPTY;
        int offset = Math.toIntExact(a.offset());
        if (type == DataType.FLOAT) {
            FloatBuffer b = a.data().asNioFloat();
            return new Floats(writable ? b : b.asReadOnlyBuffer(), offset);
        }
        DoubleBuffer b = a.data().asNioDouble();
        return new Doubles(writable ? b : b.asReadOnlyBuffer(), offset);
    }

    abstract double get(int i);

    abstract void set(int i, double v);

    private static final class Floats extends Values {
        private final FloatBuffer buffer;
        private final int offset;

        Floats(FloatBuffer buffer, int offset) {
            this.buffer = buffer;
            this.offset = offset;
        }

        @Override
        double get(int i) {
            return buffer.get(offset + i);
        }

        @Override
        void set(int i, double v) {
            buffer.put(offset + i, (float) v);
        }
    }

    private static final class Doubles extends Values {
        private final DoubleBuffer buffer;
        private final int offset;

        Doubles(DoubleBuffer buffer, int offset) {
            this.buffer = buffer;
            this.offset = offset;
        }

        @Override
        double get(int i) {
            return buffer.get(offset + i);
        }

        @Override
        void set(int i, double v) {
            buffer.put(offset + i, v);
        }
    }
}
