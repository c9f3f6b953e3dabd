package io.sparklstm.model.data;

import java.io.Serializable;
import java.util.List;

/**
 * Per-column standardization {@code (x - mean) / std}, fitted on the training split only and reused, as
 * is, for validation, test and scoring.
 *
 * @param columns column names, in feature order
 * @param mean    mean of each column on the training split
 * @param std     population standard deviation of each column on the training split; a constant column
 *                gets 1 so that it maps to 0 instead of dividing by zero
 */
public record Standardizer(List<String> columns, double[] mean, double[] std) implements Serializable {

    public Standardizer {
        columns = List.copyOf(columns);
        if (mean.length != columns.size() || std.length != columns.size()) {
            throw new IllegalArgumentException("standardizer has " + columns.size() + " columns but "
                    + mean.length + " means and " + std.length + " standard deviations");
        }
        for (int i = 0; i < std.length; i++) {
            if (!(std[i] > 0) || !Double.isFinite(mean[i])) {
                throw new IllegalArgumentException("standardizer column " + columns.get(i)
                        + " has mean " + mean[i] + " and std " + std[i]);
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** Builds a standardizer from sums over the training rows; near-constant columns get std 1. */
    public static Standardizer fromMoments(List<String> columns, long count, double[] sum, double[] sumOfSquares) {
        if (count < 2) {
            throw new IllegalArgumentException("cannot fit a normalizer on " + count + " training rows");
        }
        double[] mean = new double[sum.length];
        double[] std = new double[sum.length];
        for (int i = 0; i < sum.length; i++) {
            mean[i] = sum[i] / count;
            double variance = Math.max(0.0, sumOfSquares[i] / count - mean[i] * mean[i]);
            double sd = Math.sqrt(variance);
            std[i] = sd > 1e-12 * Math.max(1.0, Math.abs(mean[i])) ? sd : 1.0;
        }
        return new Standardizer(columns, mean, std);
    }

    public int indexOf(String column) {
        int i = columns.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException("the normalizer has no column " + column + "; it has " + columns);
        }
        return i;
    }

    public double transform(int column, double value) {
        return (value - mean[column]) / std[column];
    }

    /**
     * Standardizes a sequence laid out channel-major ({@code [c * steps + t]}), one column per channel, into
     * the float layout of a minibatch.
     */
    public float[] transformSequence(double[] values, int steps) {
        float[] out = new float[values.length];
        for (int c = 0; c < values.length / steps; c++) {
            for (int t = 0; t < steps; t++) {
                int i = c * steps + t;
                out[i] = (float) transform(c, values[i]);
            }
        }
        return out;
    }

    public double inverse(int column, double standardized) {
        return standardized * std[column] + mean[column];
    }
}
