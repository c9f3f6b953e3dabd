package io.sparklstm.model.fused;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * DL4J's {@code LSTM} layer configuration, trained through ND4J's fused {@code lstmLayer} op
 * ({@link FusedLstmLayer}). Same parameters, same JSON (with this class's name), so dl4j-spark's workers,
 * checkpoints and model bundles treat it like any layer of the network.
 */
public class FusedLstm extends LSTM {

    /** For JSON. */
    public FusedLstm() {
    }

    /** This layer with every setting of {@code conf}. */
    public static FusedLstm of(LSTM conf) {
        return FusedLayerSetup.copy(conf, new FusedLstm(), LSTM.class);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int index,
                             INDArray paramsView, boolean initializeParams, DataType dataType) {
        LayerValidation.assertNInNOutSet("FusedLstm", getLayerName(), index, getNIn(), getNOut());
        return FusedLayerSetup.wire(new FusedLstmLayer(conf, dataType), this, conf, listeners, index, paramsView,
                initializeParams);
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }
}
