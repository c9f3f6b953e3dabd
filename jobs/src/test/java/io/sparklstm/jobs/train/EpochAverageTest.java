package io.sparklstm.jobs.train;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EpochAverageTest {

    private static INDArray row(double... values) {
        return Nd4j.createFromArray(values).castTo(DataType.FLOAT).reshape(1, values.length);
    }

    private static double[] values(INDArray a) {
        return a.castTo(DataType.DOUBLE).toDoubleVector();
    }

    @Test
    void theMeanIsTheElementWiseMeanOfTheSnapshots() {
        EpochAverage average = new EpochAverage(3);
        average.add(row(1, 2, -3));
        average.add(row(3, 2, 0));
        average.add(row(5, 8, 6));
        assertEquals(3, average.count());
        assertArrayEquals(new double[]{3, 4, 1}, values(average.mean()), 1e-6);
    }

    @Test
    void onlyTheLastSizeEpochsCountAndFewerBeforeThere() {
        EpochAverage average = new EpochAverage(2);
        average.add(row(10, 0));
        assertEquals(1, average.count());
        assertArrayEquals(new double[]{10, 0}, values(average.mean()), 1e-6);
        average.add(row(2, 4));
        average.add(row(4, 8));
        assertEquals(2, average.count());
        assertArrayEquals(new double[]{3, 6}, values(average.mean()), 1e-6);
    }

    /** The network trains on in place: a snapshot must not follow it, and the mean must not alias a snapshot. */
    @Test
    void snapshotsAreCopiesAndTheMeanIsANewArray() {
        EpochAverage average = new EpochAverage(2);
        INDArray params = row(1, 1);
        average.add(params);
        params.addi(100);
        average.add(params);
        INDArray mean = average.mean();
        assertArrayEquals(new double[]{51, 51}, values(mean), 1e-6);
        mean.addi(1000);
        assertArrayEquals(new double[]{51, 51}, values(average.mean()), 1e-6);
    }

    @Test
    void anEmptyAverageOrAWindowBelowOneIsRefused() {
        assertThrows(IllegalStateException.class, () -> new EpochAverage(3).mean());
        assertThrows(IllegalArgumentException.class, () -> new EpochAverage(0));
    }
}
