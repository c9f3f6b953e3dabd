package io.sparklstm.prep.timeseries;

import java.io.Serializable;

/**
 * Assigns a row to train (0), validation (1), test (2) or none (-1), by its timestamp against end dates, or
 * by its position in time order against row-count boundaries.
 */
record TimeSplit(boolean byTime, long[] ends) implements Serializable {

    int of(long time, long index) {
        long key = byTime ? time : index;
        for (int s = 0; s < ends.length; s++) {
            if (key < ends[s]) {
                return s;
            }
        }
        return -1;
    }

    static TimeSplit byDates(long trainEnd, long validationEnd, long testEnd) {
        if (!(trainEnd < validationEnd && validationEnd <= testEnd)) {
            throw new IllegalArgumentException("split.trainEnd, split.validationEnd and split.testEnd must be in "
                    + "increasing order");
        }
        return new TimeSplit(true, new long[]{trainEnd, validationEnd, testEnd});
    }

    static TimeSplit byFractions(long rows, double train, double validation, double test) {
        long a = Math.round(rows * train);
        long b = Math.round(rows * (train + validation));
        long c = Math.round(rows * (train + validation + test));
        return new TimeSplit(false, new long[]{a, b, c});
    }
}
