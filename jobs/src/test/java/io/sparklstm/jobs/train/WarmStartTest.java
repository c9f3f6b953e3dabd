package io.sparklstm.jobs.train;

import io.sparklstm.jobs.config.ConfigException;
import io.sparklstm.model.CellType;
import io.sparklstm.model.ModelSpec;
import io.sparklstm.model.NetworkFactory;
import io.sparklstm.model.Task;
import io.sparklstm.model.bundle.BundleInfo;
import io.sparklstm.model.bundle.ModelBundle;
import io.sparklstm.model.bundle.Provenance;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WarmStartTest {

    private static ModelSpec spec(int units, ModelSpec.Updater updater, long seed) {
        return new ModelSpec(CellType.LSTM, List.of(units), List.of(), false, 0, 0, ModelSpec.Clipping.NONE, 1,
                updater, 1e-2, 1, 0, seed);
    }

    /** A champion fitted on one minibatch, so that its Adam moments are not zero. */
    private static ModelBundle champion(ModelSpec spec) {
        MultiLayerNetwork net = NetworkFactory.network(spec, Task.CLASSIFICATION, 2, 3);
        Nd4j.getRandom().setSeed(3);
        DataSet batch = new DataSet(Nd4j.randn(DataType.FLOAT, 4, 2, 5), Nd4j.eye(3).getRows(0, 1, 2, 0).castTo(DataType.FLOAT));
        net.fit(batch);
        return new ModelBundle(net, new BundleInfo(BundleInfo.FORMAT_VERSION, spec, null, Map.of(), Map.of(),
                Provenance.current("test", Map.of(), Map.of())));
    }

    @Test
    void takesParametersAndTheUpdaterStateOfTheSameUpdater() {
        ModelBundle start = champion(spec(4, ModelSpec.Updater.ADAM, 1));
        ModelSpec challengerSpec = spec(4, ModelSpec.Updater.ADAM, 99);
        MultiLayerNetwork challenger = NetworkFactory.network(challengerSpec, Task.CLASSIFICATION, 2, 3);
        assertNotEquals(start.network().params(), challenger.params());
        TrainJob.warmStart(challenger, challengerSpec, start);
        assertEquals(start.network().params(), challenger.params());
        assertEquals(start.network().getUpdater().getStateViewArray(), challenger.getUpdater().getStateViewArray());
        assertNotEquals(0.0, challenger.getUpdater().getStateViewArray().norm2Number().doubleValue());
    }

    @Test
    void anotherUpdaterStartsFromFreshState() {
        ModelBundle start = champion(spec(4, ModelSpec.Updater.ADAM, 1));
        ModelSpec rms = spec(4, ModelSpec.Updater.RMSPROP, 1);
        MultiLayerNetwork challenger = NetworkFactory.network(rms, Task.CLASSIFICATION, 2, 3);
        TrainJob.warmStart(challenger, rms, start);
        assertEquals(start.network().params(), challenger.params());
        assertEquals(NetworkFactory.network(rms, Task.CLASSIFICATION, 2, 3).getUpdater().getStateViewArray(),
                challenger.getUpdater().getStateViewArray(), "RMSProp's own initial state, not Adam's moments");
    }

    @Test
    void anotherArchitectureIsAConfigurationError() {
        ModelBundle start = champion(spec(4, ModelSpec.Updater.ADAM, 1));
        ModelSpec wider = spec(8, ModelSpec.Updater.ADAM, 1);
        MultiLayerNetwork challenger = NetworkFactory.network(wider, Task.CLASSIFICATION, 2, 3);
        ConfigException e = assertThrows(ConfigException.class, () -> TrainJob.warmStart(challenger, wider, start));
        assertEquals(true, e.getMessage().contains("same architecture"), e.getMessage());
    }

    private static ModelSpec ensemble(ModelSpec spec, int members) {
        return new ModelSpec(spec.cell(), spec.layers(), spec.denseLayers(), spec.bidirectional(), spec.dropout(),
                spec.l2(), spec.clipping(), spec.clipThreshold(), spec.updater(), spec.learningRate(),
                spec.lrDecayPerEpoch(), spec.tbpttSteps(), spec.seed(), spec.kernel(), spec.convLayers(),
                spec.convKernel(), members);
    }

    @Test
    void eachMemberOfAnEnsembleStartsFromTheSameMemberOfTheChampion() {
        ModelSpec spec = ensemble(spec(4, ModelSpec.Updater.ADAM, 1), 2);
        MultiLayerNetwork first = champion(spec.member(0)).network();
        MultiLayerNetwork second = champion(spec.member(1)).network();
        second.setParams(second.params().add(1)); // unlike the first whatever the seeds give
        ModelBundle start = new ModelBundle(new io.sparklstm.model.Ensemble(List.of(first, second)), new BundleInfo(
                BundleInfo.ENSEMBLE_FORMAT_VERSION, spec, null, Map.of(), Map.of(),
                Provenance.current("test", Map.of(), Map.of())));
        ModelSpec challengerSpec = ensemble(spec(4, ModelSpec.Updater.ADAM, 99), 2);
        List<MultiLayerNetwork> challenger = List.of(
                NetworkFactory.network(challengerSpec.member(0), Task.CLASSIFICATION, 2, 3),
                NetworkFactory.network(challengerSpec.member(1), Task.CLASSIFICATION, 2, 3));

        TrainJob.warmStart(challenger, challengerSpec, start);

        assertEquals(first.params(), challenger.get(0).params());
        assertEquals(second.params(), challenger.get(1).params());
    }

    @Test
    void anEnsembleOfAnotherSizeIsRefusedNamingTheSetting() {
        ModelSpec spec = ensemble(spec(4, ModelSpec.Updater.ADAM, 1), 2);
        ModelBundle start = new ModelBundle(new io.sparklstm.model.Ensemble(List.of(champion(spec.member(0)).network(),
                champion(spec.member(1)).network())), new BundleInfo(BundleInfo.ENSEMBLE_FORMAT_VERSION, spec, null,
                Map.of(), Map.of(), Provenance.current("test", Map.of(), Map.of())));
        ModelSpec one = spec(4, ModelSpec.Updater.ADAM, 1);
        ConfigException e = assertThrows(ConfigException.class, () -> TrainJob.warmStart(
                NetworkFactory.network(one, Task.CLASSIFICATION, 2, 3), one, start));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("model.ensembleMembers = 1 is invalid: "
                + "expected 2"), e.getMessage());
    }
}
