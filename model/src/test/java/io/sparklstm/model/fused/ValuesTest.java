package io.sparklstm.model.fused;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.nio.ReadOnlyBufferException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Values} reads and writes an array's elements in C order by linear index, whatever strides ND4J gives
 * the dimensions of size 1 (a minibatch of one example, one unit, one time step), from the array's own offset
 * in a shared buffer; arrays that are not contiguous are read from a copy, never written through one (so what is
 * read is never written).
 */
class ValuesTest {

    /** {@code 0, 1, 2, ..} in an array of the given shape and strides, over a buffer of {@code bufferLength}. */
    private static INDArray counting(DataType type, long[] shape, long[] stride, long offset, int bufferLength) {
        INDArray buffer = Nd4j.arange(bufferLength).castTo(type);
        return Nd4j.create(buffer.data(), shape, stride, offset, 'c', type);
    }

    @Test
    void aRowOfOneExampleIsContiguousWhateverTheStrideOfItsSizeOneDimension() {
        // the array of the report: one example of 64 units, as ND4J allocates it, stride [1, 1]
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            INDArray row = counting(type, new long[]{1, 64}, new long[]{1, 1}, 0, 64);
            Values v = Values.of(row);
            for (int k = 0; k < 64; k++) assertEquals(k, v.get(k), type + " element " + k);
        }
    }

    @Test
    void sizeOneDimensionsAnywhereAreIgnored() {
        // [steps 3, minibatch 1, units 4]: the size-1 dimension's stride is arbitrary; so is a one-unit column
        INDArray sequence = counting(DataType.DOUBLE, new long[]{3, 1, 4}, new long[]{4, 77, 1}, 0, 12);
        INDArray oneUnit = counting(DataType.DOUBLE, new long[]{2, 3, 1}, new long[]{3, 1, 5}, 0, 6);
        INDArray oneStep = counting(DataType.DOUBLE, new long[]{1, 1, 5}, new long[]{1, 1, 1}, 0, 5);
        for (INDArray a : new INDArray[]{sequence, oneUnit, oneStep}) {
            Values v = Values.of(a);
            for (int k = 0; k < a.length(); k++) assertEquals(k, v.get(k), a.shapeInfoToString());
        }
        // all-ones shape, and a scalar
        assertEquals(0.0, Values.of(counting(DataType.DOUBLE, new long[]{1, 1, 1}, new long[]{9, 9, 9}, 0, 1)).get(0));
        assertEquals(2.5, Values.of(Nd4j.scalar(2.5)).get(0));
    }

    @Test
    void aViewIsAddressedFromItsOwnOffset() {
        INDArray whole = Nd4j.arange(24).castTo(DataType.DOUBLE).reshape('c', 2, 3, 4);
        INDArray second = whole.slice(1); // [3, 4] from element 12
        Values v = Values.of(second);
        assertEquals(12.0, v.get(0));
        assertEquals(23.0, v.get(11));
        Values.writable(second).set(0, -1.0);
        assertEquals(-1.0, whole.getDouble(1, 0, 0), "written through to the array");
        INDArray rows = whole.get(NDArrayIndex.point(0), NDArrayIndex.interval(1, 3), NDArrayIndex.all());
        assertEquals(4.0, Values.of(rows).get(0));
        assertEquals(11.0, Values.of(rows).get(7));
    }

    @Test
    void anArrayThatIsNotContiguousIsReadFromACopyAndNeverWrittenThroughOne() {
        INDArray matrix = Nd4j.arange(12).castTo(DataType.DOUBLE).reshape('c', 3, 4);
        INDArray column = matrix.get(NDArrayIndex.all(), NDArrayIndex.point(2)); // stride 4
        Values c = Values.of(column);
        assertEquals(2.0, c.get(0));
        assertEquals(10.0, c.get(2));
        INDArray fOrder = matrix.dup('f');
        assertEquals(1.0, Values.of(fOrder).get(1), "read in C order");
        assertEquals(4.0, Values.of(fOrder).get(4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Values.writable(column));
        assertTrue(e.getMessage().contains("contiguous"), e.getMessage());
        assertThrows(ReadOnlyBufferException.class, () -> c.set(0, 1.0), "a write to the copy would be lost");
        Values.writable(matrix).set(5, 50.0);
        assertEquals(50.0, matrix.getDouble(1, 1));
    }

    @Test
    void anEmptyArrayHasNoElements() {
        INDArray empty = Nd4j.create(DataType.DOUBLE, 0, 4);
        Values v = Values.of(empty);
        assertThrows(IndexOutOfBoundsException.class, () -> v.get(0));
    }

    @Test
    void onlyFloatingPointArraysAreRead() {
        assertThrows(IllegalArgumentException.class, () -> Values.of(Nd4j.arange(3).castTo(DataType.INT)));
    }
}
