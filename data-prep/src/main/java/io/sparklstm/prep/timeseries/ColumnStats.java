package io.sparklstm.prep.timeseries;

import io.sparklstm.model.data.Standardizer;
import io.sparklstm.prep.io.InputDataException;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What preparation learns from the rows before filling, merged across partitions: moments of the present
 * values of the training split (missing and, later, filled values do not count), the vocabulary of each
 * categorical column in the training split, and the missing values of each column in all splits.
 */
final class ColumnStats implements Serializable {

    private final long[] count;
    private final double[] sum;
    private final double[] sumOfSquares;
    private final long[] missing;
    private final long[] missingCategorical;
    private final List<TreeSet<String>> vocabulary = new ArrayList<>();

    ColumnStats(int numeric, int categorical) {
        count = new long[numeric];
        sum = new double[numeric];
        sumOfSquares = new double[numeric];
        missing = new long[numeric];
        missingCategorical = new long[categorical];
        for (int i = 0; i < categorical; i++) vocabulary.add(new TreeSet<>());
    }

    ColumnStats add(SeriesRow row, boolean training) {
        double[] v = row.values();
        for (int c = 0; c < v.length; c++) {
            if (Double.isNaN(v[c])) {
                missing[c]++;
            } else if (training) {
                count[c]++;
                sum[c] += v[c];
                sumOfSquares[c] += v[c] * v[c];
            }
        }
        String[] categories = row.categories();
        for (int i = 0; i < categories.length; i++) {
            if (categories[i] == null) {
                missingCategorical[i]++;
            } else if (training) {
                vocabulary.get(i).add(categories[i]);
            }
        }
        return this;
    }

    ColumnStats merge(ColumnStats other) {
        for (int c = 0; c < count.length; c++) {
            count[c] += other.count[c];
            sum[c] += other.sum[c];
            sumOfSquares[c] += other.sumOfSquares[c];
            missing[c] += other.missing[c];
        }
        for (int i = 0; i < missingCategorical.length; i++) {
            missingCategorical[i] += other.missingCategorical[i];
            vocabulary.get(i).addAll(other.vocabulary.get(i));
        }
        return this;
    }

    long missing(int column) {
        return missing[column];
    }

    long missingCategorical(int column) {
        return missingCategorical[column];
    }

    /** The values each categorical column takes in the training split, sorted. */
    List<List<String>> vocabulary() {
        return vocabulary.stream().map(s -> (List<String>) List.copyOf(s)).toList();
    }

    /**
     * Standardizes each numeric column with the mean and population standard deviation of its present
     * training values (a near-constant column gets 1); one-hot channels are left as they are.
     */
    Standardizer standardizer(List<String> numeric, List<String> oneHot, boolean normalize) {
        int channels = numeric.size() + oneHot.size();
        double[] mean = new double[channels];
        double[] std = new double[channels];
        java.util.Arrays.fill(std, 1.0);
        if (normalize) {
            for (int c = 0; c < numeric.size(); c++) {
                if (count[c] < 2) {
                    throw new InputDataException("column " + numeric.get(c) + " has " + count[c] + " present values "
                            + "in the training split: too few to standardize it");
                }
                mean[c] = sum[c] / count[c];
                double sd = Math.sqrt(Math.max(0.0, sumOfSquares[c] / count[c] - mean[c] * mean[c]));
                std[c] = sd > 1e-12 * Math.max(1.0, Math.abs(mean[c])) ? sd : 1.0;
            }
        }
        List<String> names = new ArrayList<>(numeric);
        names.addAll(oneHot);
        return new Standardizer(names, mean, std);
    }
}
