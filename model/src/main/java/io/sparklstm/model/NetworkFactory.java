package io.sparklstm.model;

import io.sparklstm.model.fused.FusedGravesLstm;
import io.sparklstm.model.fused.FusedLstm;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.AbstractLSTM;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.util.MaskLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToRnnPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.RnnToFeedForwardPreProcessor;
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
 * recurrent layer is wrapped in {@link LastTimeStep} (mask aware), or followed by a mask-aware mean or maximum over
 * the steps ({@code model.pooling}, sequence classification only), so a sequence becomes one vector, which
 * optional dense layers and the output layer turn into class probabilities or the flattened forecast
 * {@code [horizonStep * targets + target]}. For per-step classification ({@link Task#STEP_CLASSIFICATION})
 * there is no {@code LastTimeStep} and no dense layer: an {@link RnnOutputLayer} gives class probabilities at
 * every step, so {@link MultiLayerNetwork#rnnTimeStep} works on the network as it is.
 */
public final class NetworkFactory {

    private NetworkFactory() {
    }

    /**
     * @param spec     the model
     * @param task     classification (softmax, cross-entropy), per step or per sequence, or forecasting
     *                 (identity, MSE)
     * @param inputs   features per time step
     * @param outputs  classes, or horizon steps times targets
     */
    public static MultiLayerConfiguration configuration(ModelSpec spec, Task task, int inputs, int outputs) {
        if (inputs < 1 || outputs < 1) {
            throw new IllegalArgumentException("inputs and outputs must be positive: " + inputs + ", " + outputs);
        }
        if (spec.bidirectional() && task != Task.CLASSIFICATION) {
            throw new IllegalArgumentException("model.bidirectional = true is only valid for sequence "
                    + "classification: a forecast or a per-step prediction must not see the future");
        }
        if (!spec.convLayers().isEmpty() && task != Task.CLASSIFICATION) {
            // a convolution centred on a step reads the steps after it, which a forecast or a per-step prediction
            // must not see (and step-by-step inference has no state for it)
            throw new IllegalArgumentException("model.convLayers = " + spec.convLayers() + " is only valid for "
                    + "sequence classification: expected [] for " + task.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (spec.pooling() != ModelSpec.Pooling.LAST && task != Task.CLASSIFICATION) {
            // a forecast is read from the window's last step (and stepped forward one step at a time); a per-step
            // classifier reads every step
            throw new IllegalArgumentException("model.pooling = " + spec.pooling().name().toLowerCase(java.util.Locale.ROOT)
                    + " is only valid for sequence classification: expected last for "
                    + task.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (task.perStep() && !spec.denseLayers().isEmpty()) {
            throw new IllegalArgumentException("model.denseLayers = " + spec.denseLayers() + " is invalid for "
                    + "per-step classification: expected [] (the output layer reads every recurrent step)");
        }
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(spec.seed())
                .cacheMode(CacheMode.DEVICE)
                .weightInit(WeightInit.XAVIER)
                .updater(updater(spec))
                .l2(spec.l2())
                .gradientNormalization(gradientNormalization(spec.clipping()))
                .gradientNormalizationThreshold(spec.clipping() == ModelSpec.Clipping.NONE ? 1.0 : spec.clipThreshold())
                .list();

        int layerIndex = 0;
        for (int filters : spec.convLayers()) {
            // same mode keeps the sequence's length, so its mask still marks the padded steps. Past a sequence's
            // end a convolution reads the padding (zeros, as the exporter pads) as it reads zeros past either end,
            // but its own output there is not zero (the last real steps reach it): zeroed, so that the next
            // convolution too reads a padded sequence as it reads it alone. (Not before the first convolution:
            // DL4J's mask layer hands a minibatch without a mask on outside the workspace the next layer checks.)
            list.layer(layerIndex++, new Convolution1DLayer.Builder().kernelSize(spec.convKernel()).nOut(filters)
                    .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build());
            list.layer(layerIndex++, new MaskLayer());
        }
        int lastRecurrent = spec.layers().size() - 1;
        for (int i = 0; i <= lastRecurrent; i++) {
            boolean lastStepOnly = i == lastRecurrent && !task.perStep();
            boolean dropInputs = (i > 0 || !spec.convLayers().isEmpty()) && spec.dropout() > 0;
            if (dropInputs && lastStepOnly) {
                // set on a layer inside LastTimeStep, DL4J 1.0.0-M2.1 loses the dropout mask between the forward
                // and the backward pass ("Dropout mask array is absent", with either kernel); a dropout layer of its
                // own does it, on the steps seen as rows (its sequence mask is a column of the rows) and back
                list.inputPreProcessor(layerIndex, new RnnToFeedForwardPreProcessor());
                list.layer(layerIndex++, new DropoutLayer.Builder(1.0 - spec.dropout()).build());
                list.inputPreProcessor(layerIndex, new FeedForwardToRnnPreProcessor());
                dropInputs = false;
            }
            Layer recurrent = recurrentLayer(spec, spec.layers().get(i), dropInputs);
            if (spec.bidirectional()) {
                // its backward half is aligned below, once the configuration is built
                recurrent = new Bidirectional(Bidirectional.Mode.CONCAT, recurrent);
            }
            if (!lastStepOnly) {
                list.layer(layerIndex++, recurrent);
            } else if (spec.pooling() == ModelSpec.Pooling.LAST) {
                list.layer(layerIndex++, new LastTimeStep(recurrent));
            } else {
                // mask aware: the padded steps of a shorter sequence count neither in the mean nor in the maximum,
                // and get no gradient
                list.layer(layerIndex++, recurrent);
                list.layer(layerIndex++, new GlobalPoolingLayer.Builder(
                        spec.pooling() == ModelSpec.Pooling.MEAN ? PoolingType.AVG : PoolingType.MAX)
                        .collapseDimensions(true).build());
            }
        }
        for (int units : spec.denseLayers()) {
            DenseLayer.Builder dense = new DenseLayer.Builder().nOut(units).activation(Activation.TANH);
            if (spec.dropout() > 0) {
                dense.dropOut(1.0 - spec.dropout());
            }
            list.layer(layerIndex++, dense.build());
        }
        list.layer(layerIndex, outputLayer(task, outputs));

        list.setInputType(InputType.recurrent(inputs));
        if (spec.tbpttSteps() > 0) {
            list.backpropType(BackpropType.TruncatedBPTT)
                    .tBPTTForwardLength(spec.tbpttSteps())
                    .tBPTTBackwardLength(spec.tbpttSteps());
        }
        MultiLayerConfiguration built = list.build();
        for (NeuralNetConfiguration layer : built.getConfs()) {
            Layer l = layer.getLayer();
            Bidirectional both = l instanceof Bidirectional b ? b
                    : l instanceof LastTimeStep last && last.getUnderlying() instanceof Bidirectional b ? b : null;
            if (both != null) {
                // the backward half is fed the padded minibatch reversed: each sequence is read from its own first
                // step, not from its padding. Wrapped once the layer has the network's settings (weight
                // initialisation, updater, ...), which DL4J hands a Bidirectional's halves but not a wrapped layer
                both.setBwd(new SequenceAligned(both.getBwd()));
            }
        }
        return built;
    }

    private static Layer outputLayer(Task task, int outputs) {
        return switch (task) {
            case CLASSIFICATION -> new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                    .activation(Activation.SOFTMAX).nOut(outputs).build();
            case FORECAST -> new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                    .activation(Activation.IDENTITY).nOut(outputs).build();
            // softmax over the classes at every step; the loss is summed over (unmasked) steps
            case STEP_CLASSIFICATION -> new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                    .activation(Activation.SOFTMAX).nOut(outputs).build();
        };
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
        if (dropInputs) {
            builder.dropOut(1.0 - spec.dropout());
        }
        Layer layer = builder.build();
        if (!spec.fused()) return layer;
        return layer instanceof GravesLSTM graves ? FusedGravesLstm.of(graves) : FusedLstm.of((LSTM) layer);
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
