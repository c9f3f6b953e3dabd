package io.sparklstm.prep.timeseries;

import java.io.Serializable;

/**
 * The in-sample errors of the two naive forecasts on the training split's rows, per target, over every horizon
 * step: persistence (the value {@code h} steps earlier forecasts step {@code h}) and seasonal naive (the value a
 * whole number of seasons earlier). Read in one pass over the rows in series and time order, a partition at a
 * time, with the last few values of the current series kept; pairs across a partition boundary are left out,
 * which changes the means by a few rows in millions. {@code timeseries.targetOffset = auto} measures targets
 * from the better of the two.
 */
final class NaiveErrors implements Serializable {

    private final int[] targets;
    private final int horizon;
    private final int season;
    private final double[][] history;
    private String entity;
    private long seen;
    private final double[] persistenceSum;
    private final long[] persistenceCount;
    private final double[] seasonalSum;
    private final long[] seasonalCount;

    /**
     * @param targets the targets' positions among a row's values
     * @param season  the season in steps; 0 for none
     */
    NaiveErrors(int[] targets, int horizon, int season) {
        this.targets = targets.clone();
        this.horizon = horizon;
        this.season = season;
        int depth = Math.max(horizon, season == 0 ? 0 : season * ((horizon + season - 1) / season)) + 1;
        this.history = new double[depth][targets.length];
        persistenceSum = new double[targets.length];
        persistenceCount = new long[targets.length];
        seasonalSum = new double[targets.length];
        seasonalCount = new long[targets.length];
    }

    /** The next training row of its series (rows of a series in time order, one series after another). */
    void add(SeriesRow row) {
        if (!row.entity().equals(entity)) {
            entity = row.entity();
            seen = 0;
        }
        double[] values = row.values();
        for (int j = 0; j < targets.length; j++) {
            double y = values[targets[j]];
            for (int h = 1; h <= horizon && !Double.isNaN(y); h++) {
                add(persistenceSum, persistenceCount, j, y, h);
                if (season > 0) add(seasonalSum, seasonalCount, j, y, season * ((h + season - 1) / season));
            }
        }
        double[] slot = history[(int) (seen % history.length)];
        for (int j = 0; j < targets.length; j++) slot[j] = values[targets[j]];
        seen++;
    }

    private void add(double[] sum, long[] count, int j, double y, int lag) {
        if (lag > seen) return;
        double earlier = history[(int) ((seen - lag) % history.length)][j];
        if (Double.isNaN(earlier)) return;
        sum[j] += Math.abs(y - earlier);
        count[j]++;
    }

    NaiveErrors merge(NaiveErrors other) {
        for (int j = 0; j < targets.length; j++) {
            persistenceSum[j] += other.persistenceSum[j];
            persistenceCount[j] += other.persistenceCount[j];
            seasonalSum[j] += other.seasonalSum[j];
            seasonalCount[j] += other.seasonalCount[j];
        }
        return this;
    }

    /** The persistence forecast's mean absolute error, in units of each target's {@code std}, averaged over targets. */
    double persistence(double[] std) {
        return mean(persistenceSum, persistenceCount, std);
    }

    /** The seasonal naive forecast's, likewise; NaN without a season. */
    double seasonal(double[] std) {
        return season == 0 ? Double.NaN : mean(seasonalSum, seasonalCount, std);
    }

    private double mean(double[] sum, long[] count, double[] std) {
        double total = 0;
        for (int j = 0; j < targets.length; j++) {
            if (count[j] == 0) return Double.NaN;
            total += sum[j] / count[j] / (std[j] > 0 ? std[j] : 1);
        }
        return total / targets.length;
    }
}
