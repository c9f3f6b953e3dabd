package io.sparklstm.model.stream;

import io.sparklstm.model.StepwisePredictor;
import io.sparklstm.model.Task;
import io.sparklstm.model.bundle.ModelBundle;
import io.sparklstm.model.data.NaiveForecasts;
import io.sparklstm.model.data.Preparation;
import io.sparklstm.model.data.Standardizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Streaming forecasts from a forecasting model bundle: the caller feeds each entity's rows as they arrive
 * (raw values, in the model's columns) and gets, once an entity has {@code windowSteps} rows, the forecast for
 * the next {@code horizonSteps} rows on the original scale: the same numbers the batch {@code predict} job
 * writes for the window ending at that row.
 *
 * <p>The model was trained on windows of {@code windowSteps} rows, each read from a zero LSTM state. So an
 * entity keeps {@code windowSteps} LSTM states, staggered by one row: every row starts a new state and is read
 * by each state begun in the last {@code windowSteps} rows; the state that has just read its
 * {@code windowSteps}-th row gives the forecast and is then reused for the next window. No history of rows is
 * re-read; a row costs {@code windowSteps} one-step LSTM updates of one example. The last {@code windowSteps}
 * standardized inputs are kept only for what the targets are measured from ({@code timeseries.targetOffset}:
 * the last value or the value a season before).
 *
 * <p>Values are standardized with the bundle's normalizer and categorical values one-hot encoded with its
 * vocabularies, as in preparation. Missing values are not filled here: a {@code NaN} makes every window that
 * contains its row unscored (as {@code predict} leaves windows touching a value still missing), so
 * {@link #step} returns empty until {@code windowSteps} rows have passed it. Not thread-safe (see
 * {@link StepwisePredictor}).
 */
public final class ForecastStream {

    private final StepwisePredictor predictor;
    private final Standardizer normalizer;
    private final List<String> numericColumns;
    private final List<String> categoricalColumns;
    private final List<Map<String, Integer>> categoryChannels = new ArrayList<>();
    private final boolean unseenIsZero;
    private final int[] targetColumns;
    private final NaiveForecasts basis;
    private final int windowSteps;
    private final int horizonSteps;
    private final int channels;
    private final Map<String, Entity> entities = new HashMap<>();

    /** One entity's staggered states and how many rows it has read. */
    private static final class Entity {
        final StepwisePredictor.State[] states;
        /** the standardized inputs of the last windowSteps rows, by row modulo windowSteps */
        final double[][] inputs;
        long rows;
        long lastMissingRow = -1;

        Entity(int windowSteps) {
            states = new StepwisePredictor.State[windowSteps];
            inputs = new double[windowSteps][];
        }
    }

    /**
     * @throws IllegalArgumentException when the bundle is not a forecasting model of a time-series table
     */
    public ForecastStream(ModelBundle bundle) {
        Preparation prep = bundle.info().preparation();
        if (prep.task() != Task.FORECAST || prep.normalizer() == null) {
            throw new IllegalArgumentException("a forecast stream needs a forecasting model with a normalizer; this "
                    + "bundle is a " + prep.task().name().toLowerCase() + " model of a " + prep.kind() + " dataset");
        }
        // stepwise states are one network's: an ensemble's members would each need their own
        this.predictor = new StepwisePredictor(bundle.ensemble().single("a forecast stream (stepwise inference)"));
        this.normalizer = prep.normalizer();
        this.windowSteps = prep.windowSteps();
        this.horizonSteps = prep.horizonSteps();
        this.channels = prep.featureNames().size();
        this.categoricalColumns = List.copyOf(prep.categories().keySet());
        int oneHot = 0;
        for (List<String> values : prep.categories().values()) {
            Map<String, Integer> at = new HashMap<>();
            for (String v : values) at.put(v, oneHot++);
            categoryChannels.add(at);
        }
        this.numericColumns = List.copyOf(prep.featureNames().subList(0, channels - oneHot));
        this.targetColumns = prep.targetNames().stream().mapToInt(normalizer::indexOf).toArray();
        Map<String, Object> ts = section(prep.settings(), "timeseries");
        this.basis = NaiveForecasts.of(prep);
        this.unseenIsZero = "zero".equalsIgnoreCase(String.valueOf(ts.getOrDefault("unseenCategory", "error")));
        if (predictor.inputs() != channels) {
            throw new IllegalArgumentException("the network reads " + predictor.inputs() + " features, the "
                    + "preparation has " + channels + " channels");
        }
    }

    /** The numeric columns, in the order {@link #step} takes their values. */
    public List<String> numericColumns() {
        return numericColumns;
    }

    /** The categorical columns, in the order {@link #step} takes their values. */
    public List<String> categoricalColumns() {
        return categoricalColumns;
    }

    /** The forecast targets, in the order of a forecast's columns. */
    public List<String> targets() {
        return java.util.Arrays.stream(targetColumns).mapToObj(c -> normalizer.columns().get(c)).toList();
    }

    /**
     * Reads an entity's next row.
     *
     * @param values       raw values of {@link #numericColumns()}; {@code NaN} for a missing one
     * @param categories   values of {@link #categoricalColumns()} ({@code null} for a missing one)
     * @return {@code [horizon step][target]} on the original scale, once the entity's last
     *         {@code windowSteps} rows (this one included) are complete; empty before
     */
    public Optional<double[][]> step(String entity, double[] values, String... categories) {
        Objects.requireNonNull(entity, "entity");
        double[] input = encode(values, categories);
        Entity e = entities.computeIfAbsent(entity, k -> new Entity(windowSteps));
        long row = e.rows;
        boolean missing = false;
        for (double v : input) missing |= Double.isNaN(v);
        if (missing) e.lastMissingRow = row;

        e.states[(int) (row % windowSteps)] = predictor.newState();
        e.inputs[(int) (row % windowSteps)] = input;
        double[] output = null;
        int completing = (int) ((row + 1) % windowSteps);
        for (int s = 0; s < windowSteps; s++) {
            StepwisePredictor.State state = e.states[s];
            if (state == null) continue;
            double[] out = predictor.step(state, input);
            if (s == completing && state.steps() == windowSteps) output = out;
        }
        e.rows++;
        boolean windowHasMissing = e.lastMissingRow >= 0 && row - e.lastMissingRow < windowSteps;
        if (output == null || windowHasMissing) {
            return Optional.empty();
        }
        // input step t of the window that ends at this row
        NaiveForecasts.Window window = (c, t) -> e.inputs[(int) ((row - windowSteps + 1 + t) % windowSteps)][c];
        double[][] forecast = new double[horizonSteps][targetColumns.length];
        for (int h = 0; h < horizonSteps; h++) {
            for (int j = 0; j < targetColumns.length; j++) {
                forecast[h][j] = normalizer.inverse(targetColumns[j], output[h * targetColumns.length + j]
                        + basis.offset(window, h, j));
            }
        }
        return Optional.of(forecast);
    }

    /**
     * Forgets an entity, so that its next row starts it anew. Streams that end should call this: every entity
     * seen is kept until then.
     */
    public boolean reset(String entity) {
        return entities.remove(entity) != null;
    }

    /** Entities with state kept here. */
    public int entityCount() {
        return entities.size();
    }

    /** Numeric values followed by the one-hot channels, standardized, as preparation makes them. */
    private double[] encode(double[] values, String[] categories) {
        if (values == null || values.length != numericColumns.size()) {
            throw new IllegalArgumentException("expected " + numericColumns.size() + " values " + numericColumns
                    + ", got " + (values == null ? "none" : values.length));
        }
        String[] cats = categories == null ? new String[0] : categories;
        if (cats.length != categoricalColumns.size()) {
            throw new IllegalArgumentException("expected " + categoricalColumns.size() + " categorical values "
                    + categoricalColumns + ", got " + cats.length);
        }
        double[] raw = new double[channels];
        System.arraycopy(values, 0, raw, 0, values.length);
        for (int i = 0; i < cats.length; i++) {
            if (cats[i] == null) continue;
            Integer at = categoryChannels.get(i).get(cats[i]);
            if (at != null) {
                raw[values.length + at] = 1.0;
            } else if (!unseenIsZero) {
                throw new IllegalArgumentException(categoricalColumns.get(i) + ": value '" + cats[i] + "' is not in "
                        + "the model's vocabulary " + categoryChannels.get(i).keySet());
            }
        }
        // every channel, one-hot ones included, is standardized, and rounded to float as in a minibatch
        double[] input = new double[channels];
        for (int c = 0; c < channels; c++) {
            input[c] = Double.isNaN(raw[c]) ? Double.NaN : (float) normalizer.transform(c, raw[c]);
        }
        return input;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> settings, String name) {
        Object s = settings.get(name);
        return s instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
