package io.sparklstm.model.bundle;

import io.sparklstm.model.Json;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A trained network with its updater state and its {@link BundleInfo}. {@code bundle.json} is written
 * after {@code network.zip}; callers that need the bundle to appear atomically write it to a temporary
 * directory and rename it.
 */
public final class ModelBundle {

    public static final String NETWORK_FILE = "network.zip";
    public static final String INFO_FILE = "bundle.json";

    private final MultiLayerNetwork network;
    private final BundleInfo info;

    public ModelBundle(MultiLayerNetwork network, BundleInfo info) {
        this.network = network;
        this.info = info;
    }

    public MultiLayerNetwork network() {
        return network;
    }

    public BundleInfo info() {
        return info;
    }

    /** Network output for {@code [minibatch, features, steps]} input (and an optional feature mask). */
    public INDArray predict(INDArray features, INDArray featureMask) {
        return network.output(features, false, featureMask, null);
    }

    public void writeTo(BundleStore store) throws IOException {
        try (OutputStream out = new BufferedOutputStream(store.create(NETWORK_FILE))) {
            ModelSerializer.writeModel(network, out, true);
        }
        try (OutputStream out = store.create(INFO_FILE)) {
            Json.mapper().writeValue(out, info);
        }
    }

    public static ModelBundle readFrom(BundleStore store) throws IOException {
        BundleInfo info;
        try (InputStream in = store.open(INFO_FILE)) {
            info = Json.mapper().readValue(in, BundleInfo.class);
        } catch (IOException e) {
            throw new IOException("cannot read " + INFO_FILE + " of the model bundle at " + store.location()
                    + ": " + e.getMessage(), e);
        }
        if (info.formatVersion() > BundleInfo.FORMAT_VERSION) {
            throw new IOException("the model bundle at " + store.location() + " has format version "
                    + info.formatVersion() + "; this version of spark-lstm reads up to " + BundleInfo.FORMAT_VERSION);
        }
        MultiLayerNetwork network;
        try (InputStream in = new BufferedInputStream(store.open(NETWORK_FILE))) {
            network = ModelSerializer.restoreMultiLayerNetwork(in, true);
        } catch (IOException e) {
            throw new IOException("cannot read " + NETWORK_FILE + " of the model bundle at " + store.location()
                    + ": " + e.getMessage(), e);
        }
        return new ModelBundle(network, info);
    }
}
