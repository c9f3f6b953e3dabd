package io.sparklstm.jobs.evaluate;

import io.sparklstm.model.data.Preparation;
import io.sparklstm.model.data.Standardizer;
import org.nd4j.evaluation.EvaluationAveraging;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.evaluation.regression.RegressionEvaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Metrics of one split as plain JSON-ready values. Forecast errors are on the standardized scale the model
 * trains on, and, with the suffix {@code _original}, in the data's own units (each target's error scaled by
 * its training standard deviation).
 */
public final class Metrics {

    private Metrics() {
    }

    public static Map<String, Object> of(EvalOutcome outcome, Preparation prep) {
        return of(outcome, prep, Optional.empty());
    }

    /**
     * With a forecasting outcome that scored the naive forecasts beside the model: {@code baselines} (each with
     * the model's error fields), {@code skill} (1 - model MSE / baseline MSE, per baseline), {@code bestBaseline}
     * (the one with the lowest MSE), and, given the training split's in-sample naive error per target
     * ({@link DistributedEvaluator#naiveScale}), {@code mase}.
     */
    public static Map<String, Object> of(EvalOutcome outcome, Preparation prep, Optional<double[]> naiveScale) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("examples", outcome.examples());
        m.put("loss", round(outcome.loss()));
        if (outcome.examples() == 0) {
            return m;
        }
        if (prep.task().perStep()) {
            perStep(m, (Evaluation) outcome.evaluation(), outcome);
        } else if (prep.task().isClassification()) {
            classification(m, (Evaluation) outcome.evaluation(), prep.classNames());
        } else {
            forecast(m, (RegressionEvaluation) outcome.evaluation(), prep);
            baselines(m, outcome, prep, naiveScale);
        }
        return m;
    }

    private static void baselines(Map<String, Object> m, EvalOutcome outcome, Preparation prep,
                                  Optional<double[]> naiveScale) {
        if (!outcome.baselines().isEmpty()) {
            Map<String, Object> baselines = new LinkedHashMap<>();
            Map<String, Object> skill = new LinkedHashMap<>();
            double modelMse = (Double) m.get("mse");
            String best = null;
            double bestMse = Double.POSITIVE_INFINITY;
            for (Map.Entry<String, RegressionEvaluation> b : outcome.baselines().entrySet()) {
                Map<String, Object> errors = new LinkedHashMap<>();
                forecast(errors, b.getValue(), prep);
                baselines.put(b.getKey(), errors);
                double mse = (Double) errors.get("mse");
                skill.put(b.getKey(), round(1 - modelMse / mse));
                if (mse < bestMse) {
                    bestMse = mse;
                    best = b.getKey();
                }
            }
            m.put("baselines", baselines);
            m.put("skill", skill);
            m.put("bestBaseline", best);
        }
        naiveScale.ifPresent(scale -> mase(m, scale, prep));
    }

    /** MAE over the training split's in-sample naive MAE, per target and in all (the mean over targets). */
    @SuppressWarnings("unchecked")
    private static void mase(Map<String, Object> m, double[] scale, Preparation prep) {
        Map<String, Object> perTarget = (Map<String, Object>) m.get("perTarget");
        double sum = 0;
        int n = 0;
        for (int j = 0; j < prep.targetNames().size(); j++) {
            Map<String, Object> one = (Map<String, Object>) perTarget.get(prep.targetNames().get(j));
            double mase = ((Double) one.get("mae")) / scale[j];
            if (!Double.isFinite(mase)) return;
            one.put("mase", round(mase));
            sum += mase;
            n++;
        }
        m.put("mase", round(sum / n));
    }

    private static void classification(Map<String, Object> m, Evaluation e, List<String> classes) {
        m.put("accuracy", round(e.accuracy()));
        m.put("f1", round(e.f1(EvaluationAveraging.Macro)));
        m.put("precision", round(e.precision(EvaluationAveraging.Macro)));
        m.put("recall", round(e.recall(EvaluationAveraging.Macro)));
        int n = classes.size();
        List<List<Integer>> confusion = new ArrayList<>();
        for (int actual = 0; actual < n; actual++) {
            List<Integer> row = new ArrayList<>();
            for (int predicted = 0; predicted < n; predicted++) {
                row.add(e.getConfusionMatrix().getCount(actual, predicted));
            }
            confusion.add(row);
        }
        m.put("classes", classes);
        m.put("confusionMatrix", confusion);
    }

    /**
     * Per-step classification (a character language model): the loss is mean nats per predicted step,
     * perplexity its exponential; accuracy counts steps. No confusion matrix: with a vocabulary of dozens of
     * classes it says little and weighs much.
     */
    private static void perStep(Map<String, Object> m, Evaluation e, EvalOutcome outcome) {
        m.put("steps", outcome.lossTerms());
        m.put("perplexity", round(Math.exp(outcome.loss())));
        m.put("bitsPerStep", round(outcome.loss() / Math.log(2)));
        m.put("accuracy", round(e.accuracy()));
        m.put("f1", round(e.f1(EvaluationAveraging.Macro)));
    }

    private static void forecast(Map<String, Object> m, RegressionEvaluation e, Preparation prep) {
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
        m.put("mse", round(mse / cols));
        m.put("mae", round(mae / cols));
        m.put("rmse", round(Math.sqrt(mse / cols)));
        m.put("mse_original", round(mseOrig / cols));
        m.put("mae_original", round(maeOrig / cols));
        m.put("rmse_original", round(Math.sqrt(mseOrig / cols)));
        Map<String, Object> steps = new LinkedHashMap<>();
        steps.put("mse", rounded(mseStep));
        steps.put("mae", rounded(maeStep));
        double[] rmseStep = new double[horizon];
        for (int h = 0; h < horizon; h++) rmseStep[h] = Math.sqrt(mseStep[h]);
        steps.put("rmse", rounded(rmseStep));
        m.put("perHorizonStep", steps);
        Map<String, Object> perTarget = new LinkedHashMap<>();
        for (int j = 0; j < t; j++) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("mse", round(mseTarget[j]));
            one.put("mae", round(maeTarget[j]));
            one.put("rmse_original", round(Math.sqrt(mseTarget[j]) * std[j]));
            one.put("mae_original", round(maeTarget[j] * std[j]));
            perTarget.put(targets.get(j), one);
        }
        m.put("perTarget", perTarget);
    }

    /**
     * The default metric that selects the best epoch: the validation loss. Accuracy on a small validation
     * split moves in coarse steps and ties (a run of synthetic control reached 1.0 on 50 validation
     * sequences at epoch 6 and kept that undertrained epoch: 0.92 test accuracy); the loss does neither.
     */
    public static final String DEFAULT_SELECTION_METRIC = "loss";

    public static boolean higherIsBetter(String metric) {
        return metric.equals("accuracy") || metric.equals("f1");
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
}
