package io.sparklstm.model.bundle;

import io.sparklstm.model.CellType;
import io.sparklstm.model.ModelSpec;
import io.sparklstm.model.NetworkFactory;
import io.sparklstm.model.Task;
import io.sparklstm.model.TestSpecs;
import io.sparklstm.model.data.Preparation;
import io.sparklstm.model.data.Standardizer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
