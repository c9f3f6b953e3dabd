package io.sparklstm.jobs.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.deeplearning4j.spark.impl.paramavg.aggregator.ParameterAveragingAggregationTuple;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Iterator;
import java.util.List;

/**
 * Spark's floor under an averaging round: a round with nothing to read and nothing to fit. It does what
 * {@link RoundTrainingMaster}'s round does around the fitting, with the round's own pieces and the same sizes:
 * the network's parameters and updater state broadcast ({@link RoundStart#of}), one task per worker over that
 * worker's share of the round's paths ({@link TrainJob#roundPaths}), each task returning a copy of the broadcast
 * arrays as its result, the results summed ({@link RoundTrainingMaster#sum}), the sums divided and the broadcast
 * destroyed. No averaging period can make a round cheaper than this on the same Spark deployment, so a round
 * that fits for {@code f} ms reaches at most {@code f / (f + floor)} of plain fits side by side.
 */
public final class EmptyRound {

    private EmptyRound() {
    }

    /**
     * The wall time of one empty round in ms, on the driver.
     *
     * @param shares each worker's paths of one round, as {@link AveragingRounds.Round#workerPaths()} gives them
     */
    public static double millis(JavaSparkContext sc, MultiLayerNetwork network, List<List<String>> shares,
                                int aggregationDepth) {
        long t0 = System.nanoTime();
        Broadcast<RoundStart> start = sc.broadcast(RoundStart.of("empty round", network));
        JavaRDD<ParameterAveragingTrainingResult> results = TrainJob.roundPaths(sc, shares)
                .mapPartitions(new CopyOfStart(start));
        try {
            ParameterAveragingAggregationTuple sum = RoundTrainingMaster.sum(results, aggregationDepth);
            if (sum == null || sum.getAggregationsCount() != shares.size()) {
                throw new IllegalStateException("an empty round summed " + (sum == null ? 0
                        : sum.getAggregationsCount()) + " results of " + shares.size() + " workers");
            }
            int n = sum.getAggregationsCount();
            sum.getParametersSum().divi(n);
            if (sum.getUpdaterStateSum() != null) sum.getUpdaterStateSum().divi(n);
            Nd4j.getExecutioner().commit();
        } finally {
            start.destroy();
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    /** A worker that reads nothing and fits nothing: its result is a copy of what the round started from. */
    private record CopyOfStart(Broadcast<RoundStart> start)
            implements FlatMapFunction<Iterator<String>, ParameterAveragingTrainingResult> {

        @Override
        public Iterator<ParameterAveragingTrainingResult> call(Iterator<String> paths) {
            if (!paths.hasNext()) return List.<ParameterAveragingTrainingResult>of().iterator();
            while (paths.hasNext()) paths.next();
            RoundStart s = start.getValue();
            INDArray state = s.updaterState() == null ? null : s.updaterState().dup();
            return List.of(new ParameterAveragingTrainingResult(s.parameters().dup(), state, 0.0, null, null, null))
                    .iterator();
        }
    }
}
