package io.sparklstm.jobs.train;

import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.deeplearning4j.spark.stats.EventStats;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where an epoch's time went, from dl4j-spark's training statistics. dl4j-spark keeps its events for the whole
 * run (driver-side events of the training master, and the workers' events merged into them after every
 * averaging round); this class sums them per phase and hands out what was added since the previous epoch.
 *
 * <p>Driver phases are wall time. Worker phases are summed over workers, so with two workers fitting side by
 * side {@code workerFitSeconds} can be about twice the wall time they took.
 */
final class TrainingTimes {

    /** A phase of the report and the dl4j-spark statistics keys whose durations it sums. */
    private record Phase(String name, List<String> keys) {
    }

    private static final List<Phase> PHASES = List.of(
            // driver: the fitPaths calls, end to end
            new Phase("driverFitSeconds", List.of("ParameterAveragingMasterFitTimesMs")),
            // driver: the Spark jobs of the rounds. dl4j-spark times them as its "aggregation": the workers' RDD is
            // lazy, so the aggregation that sums their parameters is what runs them; this is the workers' fitting
            // as the driver waits for it, plus the summing.
            new Phase("sparkJobSeconds", List.of("ParameterAveragingMasterAggregateTimesMs")),
            // driver: dividing the sums and setting the averaged parameters and updater state
            new Phase("averagingSeconds", List.of("ParameterAveragingMasterProcessParamsUpdaterTimesMs")),
            // driver: creating the parameter (and updater) broadcast
            new Phase("broadcastSeconds", List.of("ParameterAveragingMasterBroadcastCreateTimesMs")),
            // driver: splitting the paths into rounds, repartitioning, counting
            new Phase("schedulingSeconds", List.of("ParameterAveragingMasterSplitTimesMs",
                    "ParameterAveragingMasterRepartitionTimesMs", "ParameterAveragingMasterCountRddSizeTimesMs")),
            // workers: their whole task, from the first minibatch to handing back parameters
            new Phase("workerTaskSeconds", List.of("WorkerFlatMapTotalTimeMs")),
            // workers: loading minibatch files
            new Phase("dataLoadingSeconds", List.of("WorkerFlatMapDataSetGetTimesMs")),
            // workers: fitting minibatches (forward, backward, update)
            new Phase("workerFitSeconds", List.of("ParameterAveragingWorkerFitTimesMs")),
            // workers: reading the broadcast parameters
            new Phase("workerBroadcastSeconds", List.of("ParameterAveragingWorkerBroadcastGetValueTimeMs")),
            // workers: building the network from the broadcast before the first minibatch
            new Phase("workerInitSeconds", List.of("ParameterAveragingWorkerInitTimeMs")));

    private Map<String, Double> previous = zeros();

    /** The seconds per phase added since the last call (the whole run so far on the first call). */
    Map<String, Double> sinceLastCall(SparkTrainingStats stats) {
        Map<String, Double> now = cumulative(stats);
        Map<String, Double> delta = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : now.entrySet()) {
            delta.put(e.getKey(), Math.round((e.getValue() - previous.get(e.getKey())) * 1000) / 1000.0);
        }
        previous = now;
        return delta;
    }

    /** Seconds per phase over the whole run so far; zeros when statistics are not collected. */
    static Map<String, Double> cumulative(SparkTrainingStats stats) {
        Map<String, Double> out = zeros();
        if (stats == null) return out;
        for (Phase phase : PHASES) {
            long ms = 0;
            for (String key : phase.keys()) {
                if (!stats.getKeySet().contains(key)) continue;
                List<EventStats> events = stats.getValue(key);
                if (events == null) continue;
                for (EventStats event : events) ms += event.getDurationMs();
            }
            out.put(phase.name(), ms / 1000.0);
        }
        return out;
    }

    private static Map<String, Double> zeros() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Phase phase : PHASES) out.put(phase.name(), 0.0);
        return out;
    }
}
