package io.sparklstm.jobs.train;

import io.sparklstm.model.CellType;
import io.sparklstm.model.ModelSpec;
import io.sparklstm.model.NetworkFactory;
import io.sparklstm.model.Task;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A network taken from the pool trains exactly as the one dl4j-spark's worker builds every round. */
class PooledTrainingWorkerTest {

    private static MultiLayerNetwork driverNetwork() {
        ModelSpec spec = new ModelSpec(CellType.LSTM, List.of(6), List.of(), false, 0, 0, ModelSpec.Clipping.NONE,
                1, ModelSpec.Updater.ADAM, 1e-2, 1, 0, 7);
        return NetworkFactory.network(spec, Task.CLASSIFICATION, 2, 3);
    }

    private static DataSet batch(long seed) {
        Nd4j.getRandom().setSeed(seed);
        return new DataSet(Nd4j.randn(DataType.FLOAT, 4, 2, 5), Nd4j.eye(3).getRows(0, 1, 2, 0).castTo(DataType.FLOAT));
    }

    /** What the round starts from: the driver's network after a fit, so that the Adam moments and counters are set. */
    private static RoundStart start(MultiLayerNetwork driver, String key) {
        MultiLayerConfiguration conf = driver.getLayerWiseConfigurations();
        return new RoundStart(key, conf.getIterationCount(), conf.getEpochCount(), driver.params(),
                driver.getUpdater().getStateViewArray());
    }

    /** dl4j-spark's worker: a new network of a clone of the configuration, given copies of parameters and state. */
    private static MultiLayerNetwork rebuilt(MultiLayerNetwork driver) {
        MultiLayerNetwork net = new MultiLayerNetwork(driver.getLayerWiseConfigurations().clone());
        net.init(driver.params().dup(), false);
        net.setUpdater(new MultiLayerUpdater(net, driver.getUpdater().getStateViewArray().dup()));
        return net;
    }

    @Test
    void aReusedNetworkFitsTheSameParametersAsARebuiltOne() {
        MultiLayerNetwork driver = driverNetwork();
        driver.fit(batch(1));
        driver.fit(batch(2));
        driver.getLayerWiseConfigurations().setEpochCount(1);

        // a network from an earlier round: other parameters, moments and counters, and fitted since
        MultiLayerNetwork reused = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(
                driverNetwork().getLayerWiseConfigurations().toJson()));
        reused.init();
        for (int i = 0; i < 5; i++) reused.fit(batch(10 + i));
        assertNotEquals(driver.params(), reused.params());

        PooledTrainingWorker.load(reused, start(driver, "k"));
        MultiLayerNetwork fresh = rebuilt(driver);
        for (int i = 0; i < 3; i++) {
            DataSet b = batch(20 + i);
            fresh.fit(b);
            reused.fit(b.copy());
        }
        assertEquals(fresh.params(), reused.params());
        assertEquals(fresh.getUpdater().getStateViewArray(), reused.getUpdater().getStateViewArray());
        assertEquals(fresh.score(), reused.score());
        assertEquals(fresh.getLayerWiseConfigurations().getIterationCount(),
                reused.getLayerWiseConfigurations().getIterationCount());
    }

    @Test
    void anUpdaterStateOfAnotherSizeIsRefused() {
        MultiLayerNetwork driver = driverNetwork();
        RoundStart wrong = new RoundStart("k", 0, 0, driver.params(), Nd4j.zeros(DataType.FLOAT, 1, 3));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PooledTrainingWorker.load(driverNetwork(), wrong));
        assertTrue(e.getMessage().contains("3 values"), e.getMessage());
    }

    @Test
    void thePoolKeepsOnlyTheNewestKey() {
        MultiLayerNetwork a = driverNetwork();
        MultiLayerNetwork b = driverNetwork();
        WorkerNetworks.giveBack("run/1", a);
        WorkerNetworks.giveBack("run/1", b);
        assertEquals(2, WorkerNetworks.idle("run/1"));
        assertSame(b, WorkerNetworks.take("run/1").orElseThrow(), "the network used last, still warm");
        assertTrue(WorkerNetworks.take("run/2").isEmpty());
        assertEquals(0, WorkerNetworks.idle("run/1"), "a new key drops the networks of the old one");
    }
}
