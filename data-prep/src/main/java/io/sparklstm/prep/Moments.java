package io.sparklstm.prep;

import io.sparklstm.model.data.Standardizer;

import java.io.Serializable;
import java.util.List;

/** Count, sum and sum of squares per column, merged across partitions to fit a {@link Standardizer}. */
public final class Moments implements Serializable {

    private long count;
    private final double[] sum;
    private final double[] sumOfSquares;

    public Moments(int columns) {
        sum = new double[columns];
        sumOfSquares = new double[columns];
    }

    public Moments add(double[] values) {
        count++;
        for (int i = 0; i < sum.length; i++) {
            sum[i] += values[i];
            sumOfSquares[i] += values[i] * values[i];
        }
        return this;
    }

    /** Adds every step of a channel-major sequence ({@code [c * steps + t]}) as one observation per step. */
    public Moments addSequence(double[] values, int steps) {
        for (int t = 0; t < steps; t++) {
            count++;
            for (int c = 0; c < sum.length; c++) {
                double v = values[c * steps + t];
                sum[c] += v;
                sumOfSquares[c] += v * v;
            }
        }
        return this;
    }

    public Moments merge(Moments other) {
        count += other.count;
        for (int i = 0; i < sum.length; i++) {
            sum[i] += other.sum[i];
            sumOfSquares[i] += other.sumOfSquares[i];
        }
        return this;
    }

    public long count() {
        return count;
    }

    public Standardizer toStandardizer(List<String> columns) {
        return Standardizer.fromMoments(columns, count, sum, sumOfSquares);
    }

    /** The identity transform, for data that is not to be normalized. */
    public static Standardizer identity(List<String> columns) {
        double[] zeros = new double[columns.size()];
        double[] ones = new double[columns.size()];
        java.util.Arrays.fill(ones, 1.0);
        return new Standardizer(columns, zeros, ones);
    }
}
