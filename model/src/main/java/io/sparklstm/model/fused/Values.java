package io.sparklstm.model.fused;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Element access, from Java, to the memory of a C-ordered contiguous ND4J array on the CPU backend, in single or
 * double precision, by linear index. Back-propagation's per-step element-wise work runs through this instead of
 * ND4J operations: on this backend each operation and each view costs 10-35 µs however small the arrays, which
 * at a few hundred units cost more than the arithmetic.
 */
abstract class Values {

    static Values of(INDArray a) {
        if (a.ordering() != 'c' || a.length() != (a.rank() == 0 ? 1 : a.size(0) * a.stride(0))
                || a.elementWiseStride() != 1) {
            throw new IllegalArgumentException("not a contiguous C-ordered array: " + a.shapeInfoToString());
        }
        int offset = Math.toIntExact(a.offset());
        if (a.dataType() == DataType.FLOAT) return new Floats(a.data().asNioFloat(), offset);
        if (a.dataType() == DataType.DOUBLE) return new Doubles(a.data().asNioDouble(), offset);
        throw new IllegalArgumentException("not a floating-point array: " + a.dataType());
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
