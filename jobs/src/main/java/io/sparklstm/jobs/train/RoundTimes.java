package io.sparklstm.jobs.train;

import java.util.List;

/**
 * Where one averaging round's time went, measured by {@link RoundTrainingMaster} on the driver and by its workers.
 *
 * @param broadcastMs driver: the round's broadcast (configuration JSON when it changed, parameters, updater state)
 * @param jobMs       driver: from submitting the round's Spark job to holding the summed parameters: scheduling,
 *                    task (de)serialization, the workers' fitting, results back, summing
 * @param applyMs     driver: dividing the sums and setting them into the driver's network
 * @param roundMs     driver: the whole {@code fitPaths} round
 * @param workers     each worker's own figures; empty where dl4j-spark's own worker ran (it measures none)
 * @param minibatchesPerWorker the most minibatches a worker could fit in the round: training.averagingFrequency,
 *                    or the size chosen for the round with training.averagingSeconds
 */
public record RoundTimes(double broadcastMs, double jobMs, double applyMs, double roundMs, List<WorkerTime> workers,
                         int minibatchesPerWorker) {

    public RoundTimes {
        workers = List.copyOf(workers);
    }

    /** The slowest worker's fitting: the part of the round that plain fits side by side would also take. */
    public double fitMs() {
        return workers.stream().mapToDouble(WorkerTime::fitMs).max().orElse(Double.NaN);
    }

    /** The slowest worker's time on the executor, from taking its network to its result. */
    public double busyMs() {
        return workers.stream().mapToDouble(WorkerTime::busyMs).max().orElse(Double.NaN);
    }

    /** The slowest network set-up (taking or building a network, loading parameters and updater state). */
    public double initMs() {
        return workers.stream().mapToDouble(WorkerTime::initMs).max().orElse(Double.NaN);
    }

    /** The job's time outside the workers: scheduling, task and result (de)serialization, transfers, summing. */
    public double schedulingMs() {
        return jobMs - busyMs();
    }

    /** The round's time beyond the slowest worker's fitting. */
    public double overheadMs() {
        return roundMs - fitMs();
    }

    /** {@link #overheadMs()} as a fraction of the round. */
    public double overheadFraction() {
        return overheadMs() / roundMs;
    }

    /** Workers that built their network this round (none idle in their executor). */
    public long built() {
        return workers.stream().filter(WorkerTime::built).count();
    }
}
