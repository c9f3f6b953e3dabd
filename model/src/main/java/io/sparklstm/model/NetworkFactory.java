package io.sparklstm.model;

import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.AbstractLSTM;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Builds the DL4J network that a {@link ModelSpec} describes for a given input and output size.
 *
 * <p>Input is {@code [minibatch, features, steps]}. The recurrent stack reads the whole sequence; the last
 * recurrent layer is wrapped in {@link LastTimeStep} (mask aware), so a sequence becomes one vector, which
 * optional dense layers and the output layer turn into class probabilities or the flattened forecast
 * {@code [horizonStep * targets + target]}.
 */
public final class NetworkFactory {

    private NetworkFactory() {
    }

    /**
     * @param spec     the model
     * @param task     classification (softmax, cross-entropy) or forecasting (identity, MSE)
     * @param inputs   features per time step
     * @param outputs  classes, or horizon steps times targets
     */
    public static MultiLayerConfiguration configuration(ModelSpec spec, Task task, int inputs, int outputs) {
        if (inputs < 1 || outputs < 1) {
            throw new IllegalArgumentException("inputs and outputs must be positive: " + inputs + ", " + outputs);
        }
        if (spec.bidirectional() && !task.isClassification()) {
            throw new IllegalArgumentException(
                    "model.bidirectional = true is only valid for classification: a forecast must not see the future");
        }
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(spec.seed())
                .weightInit(WeightInit.XAVIER)
                .updater(updater(spec))
                .l2(spec.l2())
                .gradientNormalization(gradientNormalization(spec.clipping()))
                .gradientNormalizationThreshold(spec.clipping() == ModelSpec.Clipping.NONE ? 1.0 : spec.clipThreshold())
                .list();

        int layerIndex = 0;
        int lastRecurrent = spec.layers().size() - 1;
        for (int i = 0; i <= lastRecurrent; i++) {
            Layer recurrent = recurrentLayer(spec, spec.layers().get(i), i > 0);
            if (spec.bidirectional()) {
                recurrent = new Bidirectional(Bidirectional.Mode.CONCAT, recurrent);
            }
            list.layer(layerIndex++, i == lastRecurrent ? new LastTimeStep(recurrent) : recurrent);
        }
        for (int units : spec.denseLayers()) {
            DenseLayer.Builder dense = new DenseLayer.Builder().nOut(units).activation(Activation.TANH);
            if (spec.dropout() > 0) {
                dense.dropOut(1.0 - spec.dropout());
            }
            list.layer(layerIndex++, dense.build());
        }
        OutputLayer.Builder out = task.isClassification()
                ? new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                : new OutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY);
        list.layer(layerIndex, out.nOut(outputs).build());

        list.setInputType(InputType.recurrent(inputs));
        if (spec.tbpttSteps() > 0) {
            list.backpropType(BackpropType.TruncatedBPTT)
                    .tBPTTForwardLength(spec.tbpttSteps())
                    .tBPTTBackwardLength(spec.tbpttSteps());
        }
        return list.build();
    }

    /** A new, initialised network. */
    public static MultiLayerNetwork network(ModelSpec spec, Task task, int inputs, int outputs) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(spec, task, inputs, outputs));
        net.init();
        return net;
    }

    private static Layer recurrentLayer(ModelSpec spec, int units, boolean dropInputs) {
        AbstractLSTM.Builder<?> builder = spec.cell() == CellType.PEEPHOLE
                ? new GravesLSTM.Builder()
                : new LSTM.Builder();
        builder.nOut(units).activation(Activation.TANH);
        // DL4J's dropOut takes the probability of RETAINING an activation; it applies to the layer's input.
        if (dropInputs && spec.dropout() > 0) {
            builder.dropOut(1.0 - spec.dropout());
        }
        return builder.build();
    }

    private static IUpdater updater(ModelSpec spec) {
        double lr = spec.learningRate();
        return switch (spec.updater()) {
            case ADAM -> new Adam(lr);
            case NADAM -> new Nadam(lr);
            case RMSPROP -> new RmsProp(lr);
            case SGD -> new Sgd(lr);
        };
    }

    private static GradientNormalization gradientNormalization(ModelSpec.Clipping clipping) {
        return switch (clipping) {
            case NONE -> GradientNormalization.None;
            case VALUE -> GradientNormalization.ClipElementWiseAbsoluteValue;
            case NORM -> GradientNormalization.ClipL2PerLayer;
        };
    }
}
