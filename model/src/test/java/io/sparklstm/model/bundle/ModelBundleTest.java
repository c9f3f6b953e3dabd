package io.sparklstm.model.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparklstm.model.CellType;
import io.sparklstm.model.Ensemble;
import io.sparklstm.model.Json;
import io.sparklstm.model.ModelSpec;
import io.sparklstm.model.NetworkFactory;
import io.sparklstm.model.Task;
import io.sparklstm.model.TestSpecs;
import io.sparklstm.model.data.Preparation;
import io.sparklstm.model.data.Standardizer;
import io.sparklstm.model.stream.ForecastStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelBundleTest {

    @Test
    void savedBundleGivesTheSamePredictionsAndInfo(@TempDir Path dir) throws Exception {
        MultiLayerNetwork net = NetworkFactory.network(TestSpecs.small(CellType.LSTM), Task.FORECAST, 2, 3);
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 2, 9);
        net.fit(new DataSet(x, Nd4j.rand(DataType.FLOAT, 4, 3)));
        Preparation prep = new Preparation("timeseries", Task.FORECAST, List.of("a", "b"), List.of("b"), List.of(),
                9, 3, new Standardizer(List.of("a", "b"), new double[]{1, 2}, new double[]{3, 4}), "fp", Map.of());
        BundleInfo info = new BundleInfo(BundleInfo.FORMAT_VERSION, TestSpecs.small(CellType.LSTM), prep,
                Map.of("test", Map.of("mse", 0.5)), Map.of("epochs", 1),
                Provenance.current("test", Map.of(), Map.of()));
        INDArray before = net.output(x);

        new ModelBundle(net, info).writeTo(new LocalBundleStore(dir));
        ModelBundle loaded = ModelBundle.readFrom(new LocalBundleStore(dir));

        assertEquals(before, loaded.predict(x, null));
        assertEquals(net.getUpdater().getStateViewArray(), loaded.network().getUpdater().getStateViewArray());
        assertEquals(info.spec(), loaded.info().spec());
        assertEquals(prep.featureNames(), loaded.info().preparation().featureNames());
        assertArrayEquals(prep.normalizer().std(), loaded.info().preparation().normalizer().std());
        assertEquals(0.5, ((Number) loaded.info().metrics().get("test").get("mse")).doubleValue());
    }

    /** A bundle saved before {@code model.kernel} existed has no kernel in its spec: it loads as AUTO. */
    @Test
    void aSpecSavedWithoutAKernelLoadsWithTheDefault() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode json =
                io.sparklstm.model.Json.mapper().valueToTree(TestSpecs.small(CellType.LSTM).withKernel(ModelSpec.Kernel.DL4J));
        json.remove("kernel");
        ModelSpec back = io.sparklstm.model.Json.mapper().treeToValue(json, ModelSpec.class);
        assertEquals(ModelSpec.Kernel.AUTO, back.kernel());
        assertEquals(TestSpecs.small(CellType.LSTM), back);
    }

    private static Preparation forecastPrep() {
        return new Preparation("timeseries", Task.FORECAST, List.of("a", "b"), List.of("b"), List.of(),
                9, 3, new Standardizer(List.of("a", "b"), new double[]{1, 2}, new double[]{3, 4}), "fp", Map.of());
    }

    private static ModelBundle ensembleOfTwo() {
        ModelSpec spec = TestSpecs.ensemble(TestSpecs.small(CellType.LSTM), 2);
        Ensemble members = new Ensemble(List.of(NetworkFactory.network(spec.member(0), Task.FORECAST, 2, 3),
                NetworkFactory.network(spec.member(1), Task.FORECAST, 2, 3)));
        return new ModelBundle(members, new BundleInfo(BundleInfo.ENSEMBLE_FORMAT_VERSION, spec, forecastPrep(),
                Map.of(), Map.of(), Provenance.current("test", Map.of(), Map.of())));
    }

    @Test
    void anEnsembleRoundTripsWithEveryMemberInItsOwnFile(@TempDir Path dir) throws Exception {
        ModelBundle bundle = ensembleOfTwo();
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 2, 9);

        bundle.writeTo(new LocalBundleStore(dir));
        ModelBundle loaded = ModelBundle.readFrom(new LocalBundleStore(dir));

        assertEquals(Set.of("network.zip", "network-1.zip", "bundle.json"), files(dir));
        assertEquals(2, Json.mapper().readTree(dir.resolve("bundle.json").toFile()).get("formatVersion").asInt());
        assertEquals(2, loaded.ensemble().size());
        for (int k = 0; k < 2; k++) {
            assertEquals(bundle.ensemble().members().get(k).params(), loaded.ensemble().members().get(k).params());
        }
        INDArray mean = bundle.ensemble().members().get(0).output(x).add(bundle.ensemble().members().get(1).output(x))
                .div(2);
        assertEquals(mean, loaded.predict(x, null));
        assertEquals(bundle.info().spec(), loaded.info().spec());
    }

    @Test
    void aOneNetworkBundleKeepsItsFilesFormatAndSpecJson(@TempDir Path dir) throws Exception {
        MultiLayerNetwork net = NetworkFactory.network(TestSpecs.small(CellType.LSTM), Task.FORECAST, 2, 3);
        new ModelBundle(net, new BundleInfo(BundleInfo.FORMAT_VERSION, TestSpecs.small(CellType.LSTM), forecastPrep(),
                Map.of(), Map.of(), Provenance.current("test", Map.of(), Map.of()))).writeTo(new LocalBundleStore(dir));

        assertEquals(Set.of("network.zip", "bundle.json"), files(dir));
        JsonNode json = Json.mapper().readTree(dir.resolve("bundle.json").toFile());
        assertEquals(1, json.get("formatVersion").asInt());
        assertFalse(json.get("spec").has("ensembleMembers"), json.get("spec").toString());
        assertEquals(1, ModelBundle.readFrom(new LocalBundleStore(dir)).info().spec().ensembleMembers());
    }

    /**
     * A bidirectional classifier read out by the mean over its steps: network.zip (with the layer that aligns the
     * backward half's sequences) reads back to the same predictions on a padded, masked minibatch, and bundle.json
     * names the pooling; a last-step spec leaves it out (bundles as before) and reads back as last.
     */
    @Test
    void aPooledBidirectionalClassifierRoundTrips(@TempDir Path dir) throws Exception {
        ModelSpec spec = new ModelSpec(CellType.LSTM, List.of(6, 5), List.of(), true, 0, 0, ModelSpec.Clipping.NONE, 0,
                ModelSpec.Updater.ADAM, 0.01, 1, 0, 3, ModelSpec.Kernel.AUTO, List.of(), 0, 1, ModelSpec.Pooling.MEAN);
        MultiLayerNetwork net = NetworkFactory.network(spec, Task.CLASSIFICATION, 2, 3);
        Nd4j.getRandom().setSeed(9);
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 2, 7);
        INDArray mask = Nd4j.ones(DataType.FLOAT, 3, 7);
        for (int t = 3; t < 7; t++) mask.putScalar(1, t, 0);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 3, 3);
        for (int i = 0; i < 3; i++) labels.putScalar(i, i, 1);
        net.fit(new DataSet(x, labels, mask, null));
        Preparation prep = new Preparation("ts", Task.CLASSIFICATION, List.of("a", "b"), List.of(), List.of("p", "q", "r"),
                7, 1, new Standardizer(List.of("a", "b"), new double[]{0, 0}, new double[]{1, 1}), "fp", Map.of());
        new ModelBundle(net, new BundleInfo(BundleInfo.FORMAT_VERSION, spec, prep, Map.of(), Map.of(),
                Provenance.current("test", Map.of(), Map.of()))).writeTo(new LocalBundleStore(dir));

        ModelBundle loaded = ModelBundle.readFrom(new LocalBundleStore(dir));
        assertEquals(net.output(x, false, mask, null), loaded.predict(x, mask));
        assertEquals(spec, loaded.info().spec());
        assertEquals("MEAN", Json.mapper().readTree(dir.resolve("bundle.json").toFile()).get("spec").get("pooling")
                .asText());
        JsonNode last = Json.mapper().valueToTree(TestSpecs.small(CellType.LSTM));
        assertFalse(last.has("pooling"), last.toString());
        assertEquals(ModelSpec.Pooling.LAST, Json.mapper().treeToValue(last, ModelSpec.class).pooling());
    }

    @Test
    void anEnsembleWithAMissingMemberFileIsRefusedNamingIt(@TempDir Path dir) throws Exception {
        ensembleOfTwo().writeTo(new LocalBundleStore(dir));
        Files.delete(dir.resolve("network-1.zip"));
        IOException e = assertThrows(IOException.class, () -> ModelBundle.readFrom(new LocalBundleStore(dir)));
        assertTrue(e.getMessage().contains("network-1.zip"), e.getMessage());
    }

    @Test
    void anEnsembleIsNeverTakenForItsFirstNetwork() {
        ModelBundle bundle = ensembleOfTwo();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bundle::network);
        assertTrue(e.getMessage().contains("model.ensembleMembers = 2"), e.getMessage());
        IllegalArgumentException stream = assertThrows(IllegalArgumentException.class,
                () -> new ForecastStream(bundle));
        assertTrue(stream.getMessage().contains("forecast stream") && stream.getMessage().contains(
                "model.ensembleMembers"), stream.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ModelBundle(bundle.ensemble(), new BundleInfo(
                BundleInfo.FORMAT_VERSION, bundle.info().spec(), forecastPrep(), Map.of(), Map.of(),
                bundle.info().provenance())), "an ensemble in the format that versions reading one network accept");
    }

    private static Set<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }
}
