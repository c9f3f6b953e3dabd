package io.sparklstm.model.fused;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * DL4J's {@code GravesLSTM} (peephole) layer configuration, trained through ND4J's fused {@code lstmLayer}
 * op with its peephole weights ({@link FusedGravesLstmLayer}).
 */
public class FusedGravesLstm extends GravesLSTM {

    /** For JSON. */
    public FusedGravesLstm() {
    }

    /** This layer with every setting of {@code conf}. */
    public static FusedGravesLstm of(GravesLSTM conf) {
        return FusedLayerSetup.copy(conf, new FusedGravesLstm(), GravesLSTM.class);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int index,
                             INDArray paramsView, boolean initializeParams, DataType dataType) {
        LayerValidation.assertNInNOutSet("FusedGravesLstm", getLayerName(), index, getNIn(), getNOut());
        return FusedLayerSetup.wire(new FusedGravesLstmLayer(conf, dataType), this, conf, listeners, index, paramsView,
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
