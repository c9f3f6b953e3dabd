package io.sparklstm.jobs.train;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.Serializable;
import java.util.Objects;

/**
 * What the driver broadcasts each averaging round with {@link PooledTrainingWorker}s: the averaged parameters and
 * updater state, and the counters that the updater (Adam's bias correction) and schedules read. The network
 * configuration travels apart, once per configuration ({@link RoundTrainingMaster}).
 *
 * @param key            which pooled networks fit this configuration ({@link WorkerNetworks})
 * @param updaterState   absent for an updater without state (plain SGD)
 */
record RoundStart(String key, int iterationCount, int epochCount, INDArray parameters, INDArray updaterState)
        implements Serializable {

    RoundStart {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(parameters, "parameters");
    }
}
