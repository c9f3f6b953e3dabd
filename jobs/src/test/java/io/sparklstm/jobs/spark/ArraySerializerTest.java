package io.sparklstm.jobs.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.kryo.Nd4jSerializer;
import scala.reflect.ClassTag$;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ND4J arrays through Spark's KryoSerializer with this job's registrator, as broadcasts and task results travel. */
class ArraySerializerTest {

    private static final SerializerInstance KRYO = new KryoSerializer(new SparkConf()
            .set("spark.kryo.registrator", KryoRegistrator.class.getName())
            .set("spark.kryo.referenceTracking", "false")).newInstance();

    private static ByteBuffer bytes(Object value) {
        return KRYO.serialize(value, ClassTag$.MODULE$.apply(Object.class));
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) {
        return (T) KRYO.deserialize(bytes(value), ClassTag$.MODULE$.apply(Object.class));
    }

    private static void assertSameArray(INDArray expected, INDArray actual) {
        assertEquals(expected.dataType(), actual.dataType());
        assertArrayEquals(expected.shape(), actual.shape());
        assertEquals(expected, actual);
        assertNotSame(expected, actual);
    }

    @Test
    void everyNumericTypeAndRankComesBackEqual() {
        INDArray floats = Nd4j.rand(DataType.FLOAT, 3, 4, 5).subi(0.5);
        List<INDArray> arrays = List.of(
                floats,
                Nd4j.rand(DataType.DOUBLE, 7, 2).muli(1e6),
                Nd4j.linspace(DataType.INT, -5, 12, 1).reshape(3, 4),
                Nd4j.linspace(DataType.LONG, Long.MAX_VALUE / 4, 6, 1_000_000_007L),
                Nd4j.rand(DataType.FLOAT, 4, 6).castTo(DataType.HALF),
                Nd4j.createFromArray(true, false, true),
                Nd4j.scalar(DataType.FLOAT, 3.25f),
                Nd4j.rand(DataType.FLOAT, 1, 9));
        for (INDArray a : arrays) {
            assertTrue(ArraySerializer.raw(a), a.shapeInfoToString());
            assertSameArray(a, roundTrip(a));
        }
        assertEquals(Float.floatToIntBits(floats.getFloat(2, 3, 4)),
                Float.floatToIntBits(roundTrip(floats).getFloat(2, 3, 4)), "bit for bit");
    }

    @Test
    void viewsAndOtherOrdersTravelAsTheirOwnElements() {
        INDArray base = Nd4j.rand(DataType.FLOAT, 6, 8);
        INDArray row = base.getRow(3);                                              // contiguous, at an offset
        INDArray block = base.get(NDArrayIndex.interval(1, 4), NDArrayIndex.interval(2, 7)); // strided
        INDArray column = base.getColumn(5);
        INDArray fOrder = base.dup('f');
        INDArray transposed = base.transpose();
        for (INDArray a : List.of(row, block, column, fOrder, transposed)) {
            INDArray back = roundTrip(a);
            assertSameArray(a, back);
            assertEquals('c', back.ordering());
        }
        // only the view's elements are written, not its whole buffer
        assertTrue(bytes(row).remaining() < 8 * 4 + 64, "bytes: " + bytes(row).remaining());
    }

    @Test
    void plainMemoryIsAboutTheElementsAndSmallerThanNd4jSerialization() {
        INDArray params = Nd4j.rand(DataType.FLOAT, 1, 100_000);
        int raw = bytes(params).remaining();
        assertTrue(raw >= 400_000 && raw < 400_100, "bytes: " + raw);
        com.esotericsoftware.kryo.Kryo plain = new com.esotericsoftware.kryo.Kryo();
        com.esotericsoftware.kryo.io.Output out = new com.esotericsoftware.kryo.io.Output(1 << 20, -1);
        new Nd4jSerializer().write(plain, out, params);
        assertTrue(out.position() > raw, "nd4j-kryo: " + out.position() + " bytes");
    }

    @Test
    void arraysInsideObjectsAndEmptyOnesThroughNd4jKryo() {
        INDArray empty = Nd4j.empty(DataType.FLOAT);
        INDArray strings = Nd4j.create("north", "south");
        assertFalse(ArraySerializer.raw(empty));
        assertFalse(ArraySerializer.raw(strings)); // (nd4j-kryo cannot read string arrays back either)
        INDArray params = Nd4j.rand(DataType.FLOAT, 10, 3);
        Map<String, INDArray> m = roundTrip(new java.util.HashMap<>(Map.of("params", params, "empty", empty)));
        assertTrue(m.get("empty").isEmpty());
        assertEquals(DataType.FLOAT, m.get("empty").dataType());
        assertSameArray(params, m.get("params"));
    }
}
