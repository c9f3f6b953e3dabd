package io.sparklstm.jobs.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.nd4j.kryo.Nd4jSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * ND4J arrays under Kryo as their memory, copied in blocks: data type, shape, then the elements in C order as
 * the CPU holds them. Parameter averaging moves the whole network twice per round through Kryo (the broadcast of
 * parameters and updater state, and each worker's result), and nd4j-kryo's serializer writes through
 * {@code Nd4j.write}: a {@code DataOutputStream} call per element, four one-byte writes each, and the same on
 * reading. At 512 units (13 MB of parameters and Adam state) that took 40-85 ms to broadcast and 30-45 ms per
 * task result in each round (dl4j-spark's stats and Spark's task metrics, local mode).
 * <p>
 * Empty arrays travel as their type and shape (nd4j-kryo's serializer fails to read them back). Arrays this
 * cannot carry as plain memory (strings, compressed buffers, arrays of 2 GB and more, a backend other than the
 * CPU's, whose memory may live on a device) go through nd4j-kryo's serializer, behind a marker byte.
 */
public final class ArraySerializer extends Serializer<INDArray> {

    private static final byte RAW = 1;
    private static final byte ND4J = 2;
    private static final byte EMPTY = 3;
    private static final int BLOCK = 1 << 16;

    private final Nd4jSerializer fallback = new Nd4jSerializer();

    @Override
    public void write(Kryo kryo, Output output, INDArray array) {
        if (array.isEmpty() && array.dataType() != DataType.UTF8) {
            output.writeByte(EMPTY);
            output.writeString(array.dataType().name());
            writeShape(output, array.shape());
            return;
        }
        if (!raw(array)) {
            output.writeByte(ND4J);
            fallback.write(kryo, output, array);
            return;
        }
        INDArray c = contiguous(array) ? array : detachedCopy(array);
        output.writeByte(RAW);
        output.writeBoolean(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
        output.writeString(c.dataType().name());
        writeShape(output, c.shape());
        ByteBuffer memory = memory(c);
        byte[] block = new byte[Math.min(BLOCK, Math.max(1, memory.remaining()))];
        while (memory.hasRemaining()) {
            int n = Math.min(block.length, memory.remaining());
            memory.get(block, 0, n);
            output.writeBytes(block, 0, n);
        }
    }

    @Override
    public INDArray read(Kryo kryo, Input input, Class<INDArray> type) {
        byte form = input.readByte();
        if (form == ND4J) return fallback.read(kryo, input, type);
        if (form == EMPTY) {
            DataType dataType = DataType.valueOf(input.readString());
            long[] shape = readShape(input);
            return shape.length == 0 ? Nd4j.empty(dataType) : Nd4j.create(dataType, shape);
        }
        if (form != RAW) throw new KryoException("not an ND4J array written by " + getClass().getName() + ": form " + form);
        boolean littleEndian = input.readBoolean();
        if (littleEndian != (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN)) {
            throw new KryoException("an ND4J array written on a machine of the other byte order ("
                    + (littleEndian ? "little" : "big") + "-endian) cannot be read here");
        }
        DataType dataType = DataType.valueOf(input.readString());
        long[] shape = readShape(input);
        INDArray array;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            array = Nd4j.createUninitializedDetached(dataType, 'c', shape);
        }
        ByteBuffer memory = memory(array);
        byte[] block = new byte[Math.min(BLOCK, Math.max(1, memory.remaining()))];
        while (memory.hasRemaining()) {
            int n = Math.min(block.length, memory.remaining());
            input.readBytes(block, 0, n);
            memory.put(block, 0, n);
        }
        return array;
    }

    private static void writeShape(Output output, long[] shape) {
        output.writeVarInt(shape.length, true);
        for (long d : shape) output.writeVarLong(d, true);
    }

    private static long[] readShape(Input input) {
        long[] shape = new long[input.readVarInt(true)];
        for (int i = 0; i < shape.length; i++) shape[i] = input.readVarLong(true);
        return shape;
    }

    /** Whether the array travels as plain memory (an empty one as its type and shape). */
    static boolean raw(INDArray array) {
        DataType t = array.dataType();
        return Nd4j.getEnvironment().isCPU() && !array.isEmpty() && !array.isCompressed()
                && array.length() * Math.max(1, t.width()) <= Integer.MAX_VALUE - BLOCK
                && t != DataType.UTF8 && t != DataType.COMPRESSED && t != DataType.UNKNOWN;
    }

    /** Whether the array's elements lie in C order, one after the other, in its buffer. */
    private static boolean contiguous(INDArray a) {
        return a.ordering() == 'c' && a.elementWiseStride() == 1
                && (a.rank() == 0 || a.length() == a.size(0) * a.stride(0));
    }

    private static INDArray detachedCopy(INDArray a) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return a.dup('c');
        }
    }

    /** The array's bytes, from its first element to its last, as a buffer of their own position and limit. */
    private static ByteBuffer memory(INDArray c) {
        int width = c.dataType().width();
        ByteBuffer all = c.data().asNio().duplicate();
        int from = Math.toIntExact(c.offset() * width);
        all.limit(Math.toIntExact(from + c.length() * width));
        all.position(from);
        return all;
    }
}
