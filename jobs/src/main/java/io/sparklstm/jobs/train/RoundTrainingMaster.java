package io.sparklstm.jobs.train;

import org.apache.spark.api.java.JavaRDDLike;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;

/**
 * dl4j-spark's parameter-averaging master, told how many minibatch files the next {@code fitPaths} call hands it.
 * dl4j-spark counts them with a Spark job of its own before every averaging round, although the driver made the
 * list ({@link TrainJob#fitEpoch}); that job took 25-110 ms per round on a 2-core machine, against 300-400 ms
 * of fitting at 128 units. Where no count was given, it counts as before.
 */
public final class RoundTrainingMaster extends ParameterAveragingTrainingMaster {

    private static final long serialVersionUID = 1L;

    private Long nextCount;

    RoundTrainingMaster(Builder builder) {
        super(builder);
    }

    /** The number of paths in the RDD of the next {@code fitPaths} call. */
    void nextRoundHas(long paths) {
        nextCount = paths;
    }

    @Override
    protected <T, R extends JavaRDDLike<T, R>> long getTotalDataSetObjectCount(JavaRDDLike<T, R> data) {
        Long known = nextCount;
        nextCount = null;
        return known != null ? known : super.getTotalDataSetObjectCount(data);
    }
}
