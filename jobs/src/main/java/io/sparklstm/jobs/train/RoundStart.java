package io.sparklstm.jobs.train;

import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
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

    /** What {@code network} holds now: its own arrays, not copies (the driver changes them only between rounds). */
    static RoundStart of(String key, MultiLayerNetwork network) {
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
        Updater updater = network.getUpdater();
        return new RoundStart(key, conf.getIterationCount(), conf.getEpochCount(), network.params(),
                updater == null ? null : updater.getStateViewArray());
    }
}
