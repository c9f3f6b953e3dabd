package io.sparklstm.model.fused;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;

/** Copies a built DL4J layer configuration into its fused subclass, and wires up the layers it creates. */
final class FusedLayerSetup {

    private FusedLayerSetup() {
    }

    /**
     * Copies every instance field that {@code type} and its superclasses declare, so that a setting added to
     * DL4J's configuration classes is carried over without being listed here (their builders' constructors are
     * private, so the subclasses cannot be built through them).
     */
    static <T> T copy(Object from, T to, Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) continue;
                try {
                    f.setAccessible(true);
                    f.set(to, f.get(from));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot copy the layer setting " + c.getSimpleName() + "."
                            + f.getName(), e);
                }
            }
        }
        return to;
    }

    /** What DL4J's own {@code instantiate} does with a new layer: listeners, index, parameters, config. */
    static <L extends BaseRecurrentLayer<?>> L wire(L layer, BaseLayer layerConf, NeuralNetConfiguration conf,
                                                    Collection<TrainingListener> listeners, int index,
                                                    INDArray paramsView, boolean initializeParams) {
        layer.setListeners(listeners);
        layer.setIndex(index);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(layerConf.initializer().init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }
}
