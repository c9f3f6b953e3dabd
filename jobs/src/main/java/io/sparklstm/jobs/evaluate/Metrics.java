package io.sparklstm.jobs.evaluate;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import io.sparklstm.model.Json;
import io.sparklstm.model.data.Preparation;
import io.sparklstm.model.data.Standardizer;
import org.nd4j.evaluation.EvaluationAveraging;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.evaluation.regression.RegressionEvaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The metrics of one split: the examples and the mean loss, and the scores of the task, one part of
 * {@code stepScores}, {@code classScores} or {@code forecast} (none for a split without examples). A forecast
 * scored beside the naive forecasts also has their {@code comparison}, and, given the training split's in-sample
 * naive error per target, its {@code mase}.
 *
 * <p>The JSON is the one summaries, evaluation files, {@code metrics.jsonl} and registry rounds have always had: the
 * parts' keys inline after {@code examples} and {@code loss}, in this order, absent parts left out. The project's
 * mapper has no module for {@code Optional}, so the JSON goes through the {@code json*} accessors.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.NONE, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
@JsonPropertyOrder({"examples", "loss", "stepScores", "classScores", "forecast", "comparison", "mase"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Metrics(long examples, double loss, Optional<StepScores> stepScores, Optional<ClassScores> classScores,
                      Optional<ForecastErrors> forecast, Optional<BaselineComparison> comparison,
                      Optional<Double> mase) {

    /**
     * The default metric that selects the best epoch: the validation loss. Accuracy on a small validation
     * split moves in coarse steps and ties (a run of synthetic control reached 1.0 on 50 validation
     * sequences at epoch 6 and kept that undertrained epoch: 0.92 test accuracy); the loss does neither.
     */
    public static final String DEFAULT_SELECTION_METRIC = "loss";

    public Metrics {
        Objects.requireNonNull(stepScores, "stepScores");
        Objects.requireNonNull(classScores, "classScores");
        Objects.requireNonNull(forecast, "forecast");
        Objects.requireNonNull(comparison, "comparison");
        Objects.requireNonNull(mase, "mase");
    }

    public static Metrics of(EvalOutcome outcome, Preparation prep) {
        return of(outcome, prep, Optional.empty());
    }

    /**
     * With a forecasting outcome that scored the naive forecasts beside the model, their comparison; given the
     * training split's in-sample naive error per target ({@link DistributedEvaluator#naiveScale}), the MASE.
     */
    public static Metrics of(EvalOutcome outcome, Preparation prep, Optional<double[]> naiveScale) {
        long examples = outcome.examples();
        double loss = round(outcome.loss());
        if (examples == 0) {
            return new Metrics(examples, loss, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty());
        }
        if (prep.task().perStep()) {
            return new Metrics(examples, loss, Optional.of(perStep((Evaluation) outcome.evaluation(), outcome)),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }
        if (prep.task().isClassification()) {
            return new Metrics(examples, loss, Optional.empty(),
                    Optional.of(classification((Evaluation) outcome.evaluation(), prep.classNames())),
                    Optional.empty(), Optional.empty(), Optional.empty());
        }
        ForecastErrors errors = forecast((RegressionEvaluation) outcome.evaluation(), prep);
        Optional<BaselineComparison> comparison = outcome.baselines().isEmpty() ? Optional.empty()
                : Optional.of(compare(errors, outcome, prep));
        List<Double> mase = naiveScale.map(scale -> mase(errors, scale)).orElse(List.of());
        boolean everyTarget = mase.size() == prep.targetNames().size();
        return new Metrics(examples, loss, Optional.empty(), Optional.empty(), Optional.of(errors.withMase(
                mase.stream().map(Metrics::round).toList())), comparison,
                everyTarget ? Optional.of(round(mase.stream().mapToDouble(Double::doubleValue).sum() / mase.size()))
                        : Optional.empty());
    }

    /**
     * The value of a metric by its name in the JSON ({@code loss}, {@code accuracy}, {@code mse}, ...), as
     * configuration names the metric that selects an epoch or decides a promotion; empty when this split has none.
     */
    public OptionalDouble value(String name) {
        JsonNode v = Json.mapper().valueToTree(this).get(name);
        return v != null && v.isNumber() ? OptionalDouble.of(v.doubleValue()) : OptionalDouble.empty();
    }

    /**
     * The metrics as the JSON object files hold, for records that keep what they read back from files older
     * builds wrote (an epoch in a checkpoint, a registry round, a model bundle's info).
     */
    public Map<String, Object> asJsonObject() {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = Json.mapper().convertValue(this, LinkedHashMap.class);
        return m;
    }

    /** The metrics of class scores: a forecast has none of them (the rest but the loss are a forecast's errors). */
    public static final List<String> CLASS_SCORE_METRICS = List.of("accuracy", "f1");

    public static boolean higherIsBetter(String metric) {
        return CLASS_SCORE_METRICS.contains(metric);
    }

    private static BaselineComparison compare(ForecastErrors model, EvalOutcome outcome, Preparation prep) {
        Map<String, ForecastErrors> baselines = new LinkedHashMap<>();
        Map<String, Double> skill = new LinkedHashMap<>();
        Optional<String> best = Optional.empty();
        double bestMse = Double.POSITIVE_INFINITY;
        for (Map.Entry<String, RegressionEvaluation> b : outcome.baselines().entrySet()) {
            ForecastErrors errors = forecast(b.getValue(), prep);
            baselines.put(b.getKey(), errors);
            skill.put(b.getKey(), round(1 - model.mse() / errors.mse()));
            if (errors.mse() < bestMse) {
                bestMse = errors.mse();
                best = Optional.of(b.getKey());
            }
        }
        return new BaselineComparison(baselines, skill, best);
    }

    /**
     * Each target's MAE over the training split's in-sample naive MAE, in the preparation's order, up to the
     * first that is not a number (a flat training series): the MASE in all is the mean over every target or none.
     */
    private static List<Double> mase(ForecastErrors errors, double[] scale) {
        List<Double> out = new ArrayList<>();
        int j = 0;
        for (TargetErrors target : errors.perTarget().values()) {
            double mase = target.mae() / scale[j++];
            if (!Double.isFinite(mase)) break;
            out.add(mase);
        }
        return out;
    }

    private static ClassScores classification(Evaluation e, List<String> classes) {
        int n = classes.size();
        List<List<Integer>> confusion = new ArrayList<>();
        for (int actual = 0; actual < n; actual++) {
            List<Integer> row = new ArrayList<>();
            for (int predicted = 0; predicted < n; predicted++) {
                row.add(e.getConfusionMatrix().getCount(actual, predicted));
            }
            confusion.add(row);
        }
        return new ClassScores(round(e.accuracy()), round(e.f1(EvaluationAveraging.Macro)),
                round(e.precision(EvaluationAveraging.Macro)), round(e.recall(EvaluationAveraging.Macro)), classes,
                confusion);
    }

    /**
     * Per-step classification (a character language model): the loss is mean nats per predicted step,
     * perplexity its exponential; accuracy counts steps. No confusion matrix: with a vocabulary of dozens of
     * classes it says little and weighs much.
     */
    private static StepScores perStep(Evaluation e, EvalOutcome outcome) {
        return new StepScores(outcome.lossTerms(), round(Math.exp(outcome.loss())),
                round(outcome.loss() / Math.log(2)), round(e.accuracy()), round(e.f1(EvaluationAveraging.Macro)));
    }

    private static ForecastErrors forecast(RegressionEvaluation e, Preparation prep) {
        List<String> targets = prep.targetNames();
        int t = targets.size();
        int horizon = prep.horizonSteps();
        Standardizer norm = prep.normalizer();
        double[] std = new double[t];
        for (int j = 0; j < t; j++) std[j] = norm.std()[norm.indexOf(targets.get(j))];

        double[] mseStep = new double[horizon];
        double[] maeStep = new double[horizon];
        double[] mseTarget = new double[t];
        double[] maeTarget = new double[t];
        double mse = 0, mae = 0, mseOrig = 0, maeOrig = 0;
        for (int h = 0; h < horizon; h++) {
            for (int j = 0; j < t; j++) {
                int col = h * t + j;
                double se = e.meanSquaredError(col);
                double ae = e.meanAbsoluteError(col);
                mseStep[h] += se / t;
                maeStep[h] += ae / t;
                mseTarget[j] += se / horizon;
                maeTarget[j] += ae / horizon;
                mse += se;
                mae += ae;
                mseOrig += se * std[j] * std[j];
                maeOrig += ae * std[j];
            }
        }
        int cols = horizon * t;
        double[] rmseStep = new double[horizon];
        for (int h = 0; h < horizon; h++) rmseStep[h] = Math.sqrt(mseStep[h]);
        Map<String, TargetErrors> perTarget = new LinkedHashMap<>();
        for (int j = 0; j < t; j++) {
            perTarget.put(targets.get(j), new TargetErrors(round(mseTarget[j]), round(maeTarget[j]),
                    round(Math.sqrt(mseTarget[j]) * std[j]), round(maeTarget[j] * std[j]), Optional.empty()));
        }
        return new ForecastErrors(round(mse / cols), round(mae / cols), round(Math.sqrt(mse / cols)),
                round(mseOrig / cols), round(maeOrig / cols), round(Math.sqrt(mseOrig / cols)),
                new ForecastErrors.HorizonErrors(rounded(mseStep), rounded(maeStep), rounded(rmseStep)), perTarget);
    }

    static double round(double v) {
        if (!Double.isFinite(v)) return v;
        return Math.round(v * 1e6) / 1e6;
    }

    private static List<Double> rounded(double[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) out.add(round(v));
        return out;
    }

    @JsonProperty("examples")
    private long jsonExamples() {
        return examples;
    }

    @JsonProperty("loss")
    private double jsonLoss() {
        return loss;
    }

    @JsonProperty("stepScores")
    @JsonUnwrapped
    private StepScores jsonStepScores() {
        return stepScores.orElse(null);
    }

    @JsonProperty("classScores")
    @JsonUnwrapped
    private ClassScores jsonClassScores() {
        return classScores.orElse(null);
    }

    @JsonProperty("forecast")
    @JsonUnwrapped
    private ForecastErrors jsonForecast() {
        return forecast.orElse(null);
    }

    @JsonProperty("comparison")
    @JsonUnwrapped
    private BaselineComparison jsonComparison() {
        return comparison.orElse(null);
    }

    @JsonProperty("mase")
    private Double jsonMase() {
        return mase.orElse(null);
    }
}
