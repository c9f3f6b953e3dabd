package io.sparklstm.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.layers.DropoutLayer;
import org.deeplearning4j.nn.layers.convolution.Convolution1DLayer;
import org.deeplearning4j.nn.layers.recurrent.BidirectionalLayer;
import org.deeplearning4j.nn.layers.recurrent.GravesBidirectionalLSTM;
import org.deeplearning4j.nn.layers.recurrent.LastTimeStepLayer;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Stateful, step-by-step inference for a network built by {@link NetworkFactory}: a streaming caller feeds
 * each entity's newest time step(s) and gets the prediction the whole-sequence forward pass
 * ({@code network.output(sequence)}) would give if that entity's sequence ended there, without re-reading
 * the history. The recurrent state (h and c of every recurrent layer) lives in a {@link State} per entity,
 * either held by the caller or kept here in a map keyed by entity id.
 *
 * <p>Why not {@link MultiLayerNetwork#rnnTimeStep}: in DL4J 1.0.0-M2.1 it steps the layer <em>inside</em>
 * a {@code LastTimeStep} wrapper directly, skipping the wrapper's last-step selection, so the dense and
 * output layers get 3-d activations they cannot read; and its state lives in the network, one stream at a
 * time. So this class steps the recurrent layers itself (setting each entity's state in, reading it back
 * out) and runs the remaining feed-forward layers on the last step's activations.
 *
 * <p>Supported networks: unidirectional recurrent layers (LSTM, GravesLSTM), the last wrapped in
 * {@code LastTimeStep}, then feed-forward layers. Bidirectional networks are rejected: their backward
 * direction reads a sequence from its end, which a stream does not have yet.
 *
 * <p>Not thread-safe: stepping sets state and input on the network's layers, and the entity map is a plain
 * {@link HashMap}. Use one predictor per thread; each works on its own copy of the network, so any number of
 * them can be made from one trained network, which is itself left untouched. A {@link State} holds no
 * reference to its predictor and may move between predictors of the same network, but must not be stepped
 * by two threads at once.
 */
public final class StepwisePredictor {

    private static final LayerWorkspaceMgr NO_WORKSPACES = LayerWorkspaceMgr.noWorkspaces();

    /**
     * The recurrent state of one entity after the steps it has read: DL4J's own state map (last output and
     * cell state) per recurrent layer, empty before the first step, which DL4J reads as zeros.
     */
    public static final class State {
        private List<Map<String, INDArray>> layers;
        private long steps;

        private State(int recurrentLayers) {
            layers = new ArrayList<>();
            for (int i = 0; i < recurrentLayers; i++) {
                layers.add(Map.of());
            }
        }

        /** Time steps read since this state was new. */
        public long steps() {
            return steps;
        }
    }

    private final MultiLayerConfiguration conf;
    private final RecurrentLayer[] recurrent;
    /** Each recurrent layer's index in the network; -1 where a dropout layer before it makes its input as is. */
    private final int[] recurrentIndex;
    private final Layer[] feedForward;
    private final int feedForwardIndex;
    private final int inputs;
    private final DataType dataType;
    private final Map<String, State> entities = new HashMap<>();

    /**
     * @param trained a network as {@link NetworkFactory} builds it; it is copied, not used
     * @throws IllegalArgumentException for a bidirectional network, one with a convolution front end, or another
     *                                  layer structure
     */
    public StepwisePredictor(MultiLayerNetwork trained) {
        MultiLayerNetwork network = new MultiLayerNetwork(trained.getLayerWiseConfigurations().clone());
        network.init(trained.params().dup(), false);
        this.conf = network.getLayerWiseConfigurations();
        this.dataType = conf.getDataType();

        Layer[] layers = network.getLayers();
        List<RecurrentLayer> steppable = new ArrayList<>();
        List<Integer> steppableIndex = new ArrayList<>();
        boolean afterDropout = false;
        int i = 0;
        for (; i < layers.length; i++) {
            Layer inner = unwrap(layers[i]);
            if (inner instanceof DropoutLayer && i + 1 < layers.length) {
                // the identity outside training, seen through a pair of preprocessors (steps as rows and back)
                afterDropout = true;
                continue;
            }
            if (inner instanceof Convolution1DLayer) {
                throw new IllegalArgumentException("a network with a convolution front end (model.convLayers) cannot "
                        + "be stepped (layer " + i + "): each convolution is centred on its step and reads the steps "
                        + "after it; score whole sequences (predict, evaluate) instead");
            }
            if (inner instanceof BidirectionalLayer || inner instanceof GravesBidirectionalLSTM) {
                throw new IllegalArgumentException("a bidirectional network cannot be stepped (layer " + i
                        + "): its backward direction needs the end of the sequence");
            }
            if (inner instanceof org.deeplearning4j.nn.layers.pooling.GlobalPoolingLayer) {
                throw new IllegalArgumentException("a network that pools its last recurrent layer over the steps "
                        + "(model.pooling = mean or max) cannot be stepped (layer " + i + "): its output is not a "
                        + "step's; score whole sequences (predict, evaluate) instead, or train with model.pooling = last");
            }
            if (!(inner instanceof RecurrentLayer recurrentLayer)) {
                break;
            }
            steppable.add(recurrentLayer);
            steppableIndex.add(afterDropout ? -1 : i);
            afterDropout = false;
            if (layers[i] instanceof LastTimeStepLayer) {
                i++;
                break;
            }
        }
        if (steppable.isEmpty() || !(layers[i - 1] instanceof LastTimeStepLayer)) {
            throw new IllegalArgumentException("expected recurrent layers, the last wrapped in LastTimeStep, as "
                    + "NetworkFactory builds them; got " + describe(layers));
        }
        this.recurrent = steppable.toArray(RecurrentLayer[]::new);
        this.recurrentIndex = steppableIndex.stream().mapToInt(Integer::intValue).toArray();
        this.feedForwardIndex = i;
        this.feedForward = Arrays.copyOfRange(layers, i, layers.length);
        for (Layer layer : feedForward) {
            if (unwrap(layer) instanceof RecurrentLayer) {
                throw new IllegalArgumentException("a recurrent layer after the LastTimeStep layer cannot be "
                        + "stepped: " + describe(layers));
            }
        }
        this.inputs = Math.toIntExact(((FeedForwardLayer) recurrent[0].conf().getLayer()).getNIn());
    }

    /** Features per time step. */
    public int inputs() {
        return inputs;
    }

    /** A state before any step, for callers that keep states themselves. */
    public State newState() {
        return new State(recurrent.length);
    }

    /**
     * Reads one or more time steps into {@code state} and returns the network output as if the sequence
     * ended with the last of them: class probabilities, or the flattened forecast.
     *
     * @param steps {@code [steps][features]}, oldest first
     */
    public double[] step(State state, double[]... steps) {
        check(steps);
        Objects.requireNonNull(state, "state");
        if (state.layers.size() != recurrent.length) {
            throw new IllegalArgumentException("the state has " + state.layers.size()
                    + " recurrent layers, this network " + recurrent.length);
        }
        List<Map<String, INDArray>> next = new ArrayList<>(recurrent.length);
        INDArray activations = input(steps);
        for (int i = 0; i < recurrent.length; i++) {
            if (recurrentIndex[i] >= 0) activations = preProcess(recurrentIndex[i], activations);
            RecurrentLayer layer = recurrent[i];
            layer.rnnSetPreviousState(state.layers.get(i));
            activations = layer.rnnTimeStep(activations, NO_WORKSPACES);
            next.add(Map.copyOf(layer.rnnGetPreviousState()));
            layer.rnnClearPreviousState();
        }
        // Only now, so that a failed step leaves the state as it was.
        state.layers = next;
        state.steps += steps.length;

        INDArray out = activations.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(steps.length - 1));
        for (int i = 0; i < feedForward.length; i++) {
            out = feedForward[i].activate(preProcess(feedForwardIndex + i, out), false, NO_WORKSPACES);
        }
        return out.toDoubleVector();
    }

    /** {@link #step(State, double[]...)} on the state this predictor keeps for {@code entity}. */
    public double[] step(String entity, double[]... steps) {
        Objects.requireNonNull(entity, "entity");
        check(steps); // before an entity is created
        return step(entities.computeIfAbsent(entity, e -> newState()), steps);
    }

    /**
     * Forgets {@code entity}'s state, so that its next step starts a new sequence. Streams that end should
     * call this too: the map keeps every entity it has seen until then.
     *
     * @return whether there was a state
     */
    public boolean reset(String entity) {
        return entities.remove(entity) != null;
    }

    /** Entities with a state kept here. */
    public int entityCount() {
        return entities.size();
    }

    private void check(double[][] steps) {
        if (steps == null || steps.length == 0) {
            throw new IllegalArgumentException("at least one time step is needed");
        }
        for (int t = 0; t < steps.length; t++) {
            if (steps[t] == null || steps[t].length != inputs) {
                String got = steps[t] == null ? "no" : String.valueOf(steps[t].length);
                throw new IllegalArgumentException("time step " + t + " has " + got + " features, expected " + inputs);
            }
        }
    }

    /** {@code [1, features, steps]}, the layout {@code network.output()} reads. */
    private INDArray input(double[][] steps) {
        INDArray input = Nd4j.create(dataType, 1, inputs, steps.length);
        for (int t = 0; t < steps.length; t++) {
            for (int f = 0; f < inputs; f++) {
                input.putScalar(0, f, t, steps[t][f]);
            }
        }
        return input;
    }

    private INDArray preProcess(int layer, INDArray activations) {
        InputPreProcessor p = conf.getInputPreProcess(layer);
        return p == null ? activations : p.preProcess(activations, 1, NO_WORKSPACES);
    }

    private static Layer unwrap(Layer layer) {
        return layer instanceof BaseWrapperLayer wrapper ? wrapper.getUnderlying() : layer;
    }

    private static String describe(Layer[] layers) {
        return Arrays.stream(layers).map(l -> l.getClass().getSimpleName()).toList().toString();
    }
}
