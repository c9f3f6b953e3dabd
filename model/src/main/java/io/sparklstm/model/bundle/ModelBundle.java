package io.sparklstm.model.bundle;

import io.sparklstm.model.Ensemble;
import io.sparklstm.model.Json;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A trained network with its updater state and its {@link BundleInfo}; or, for an ensemble
 * ({@code model.ensembleMembers} above 1), its networks: member 0 in {@code network.zip} as for one network,
 * member k in {@code network-k.zip}, and the format version {@link BundleInfo#ENSEMBLE_FORMAT_VERSION}, which
 * versions that read only member 0 refuse. {@code bundle.json} is written after the networks; callers that need
 * the bundle to appear atomically write it to a temporary directory and rename it.
 */
public final class ModelBundle {

    public static final String NETWORK_FILE = "network.zip";
    public static final String INFO_FILE = "bundle.json";

    private final Ensemble ensemble;
    private final BundleInfo info;

    public ModelBundle(MultiLayerNetwork network, BundleInfo info) {
        this(Ensemble.of(network), info);
    }

    /**
     * @throws IllegalArgumentException when the spec's {@code ensembleMembers} is not the number of networks, or an
     *                                  ensemble's format version is one that versions reading one network accept
     */
    public ModelBundle(Ensemble ensemble, BundleInfo info) {
        int declared = info.spec() == null ? 1 : info.spec().ensembleMembers();
        if (declared != ensemble.size()) {
            throw new IllegalArgumentException("a bundle whose spec has ensembleMembers = " + declared + " holds "
                    + ensemble.size() + " networks");
        }
        if (ensemble.size() > 1 && info.formatVersion() < BundleInfo.ENSEMBLE_FORMAT_VERSION) {
            throw new IllegalArgumentException("an ensemble's bundle has format version "
                    + BundleInfo.ENSEMBLE_FORMAT_VERSION + ", not " + info.formatVersion());
        }
        this.ensemble = ensemble;
        this.info = info;
    }

    /** The one network; refused for an ensemble (use {@link #ensemble()}), so that no use takes member 0 alone. */
    public MultiLayerNetwork network() {
        return ensemble.single("a use of one network");
    }

    /** The networks whose outputs the model's are the mean of (one for most models). */
    public Ensemble ensemble() {
        return ensemble;
    }

    public BundleInfo info() {
        return info;
    }

    /** Model output for {@code [minibatch, features, steps]} input (and an optional feature mask). */
    public INDArray predict(INDArray features, INDArray featureMask) {
        return ensemble.output(features, featureMask, null);
    }

    /** The file of member {@code k}'s network: {@code network.zip} for member 0, as for a single network. */
    public static String networkFile(int k) {
        return k == 0 ? NETWORK_FILE : "network-" + k + ".zip";
    }

    public void writeTo(BundleStore store) throws IOException {
        for (int k = 0; k < ensemble.size(); k++) {
            try (OutputStream out = new BufferedOutputStream(store.create(networkFile(k)))) {
                ModelSerializer.writeModel(ensemble.members().get(k), out, true);
            }
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
        if (info.formatVersion() > BundleInfo.READABLE_FORMAT_VERSION) {
            throw new IOException("the model bundle at " + store.location() + " has format version "
                    + info.formatVersion() + "; this version of spark-lstm reads up to "
                    + BundleInfo.READABLE_FORMAT_VERSION);
        }
        int members = info.spec() == null ? 1 : info.spec().ensembleMembers();
        List<MultiLayerNetwork> networks = new ArrayList<>(members);
        for (int k = 0; k < members; k++) networks.add(readNetwork(store, networkFile(k)));
        try {
            return new ModelBundle(new Ensemble(networks), info);
        } catch (IllegalArgumentException e) {
            throw new IOException("the model bundle at " + store.location() + " is inconsistent: " + e.getMessage(), e);
        }
    }

    private static MultiLayerNetwork readNetwork(BundleStore store, String file) throws IOException {
        try (InputStream in = new BufferedInputStream(store.open(file))) {
            return ModelSerializer.restoreMultiLayerNetwork(in, true);
        } catch (IOException e) {
            throw new IOException("cannot read " + file + " of the model bundle at " + store.location()
                    + ": " + e.getMessage(), e);
        }
    }
}
