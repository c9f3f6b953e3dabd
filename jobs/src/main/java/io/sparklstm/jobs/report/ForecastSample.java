package io.sparklstm.jobs.report;

import io.sparklstm.model.data.NaiveForecasts;
import io.sparklstm.model.data.Preparation;
import io.sparklstm.model.data.Standardizer;
import io.sparklstm.model.Ensemble;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;

/**
 * One test window drawn in the report: the recent history of a target and, over the horizon, what happened
 * and what the model forecast, all in the data's own units.
 *
 * @param target    the target column
 * @param history   the last input steps of that column
 * @param actual    its values over the horizon
 * @param predicted the forecast over the horizon
 */
public record ForecastSample(String target, double[] history, double[] actual, double[] predicted) {

    /** Up to {@code count} windows spread over a minibatch, for the last target column. */
    public static List<ForecastSample> from(Ensemble network, Preparation prep, DataSet batch, int count) {
        List<ForecastSample> out = new ArrayList<>();
        if (prep.task().isClassification() || batch.numExamples() == 0) {
            return out;
        }
        int targets = prep.targetNames().size();
        int j = targets - 1;
        String target = prep.targetNames().get(j);
        Standardizer norm = prep.normalizer();
        int column = norm.indexOf(target);
        int channel = prep.featureNames().indexOf(target);
        NaiveForecasts basis = NaiveForecasts.of(prep);
        INDArray output = network.output(batch.getFeatures(), batch.getFeaturesMaskArray(), null);
        INDArray features = batch.getFeatures();
        long steps = features.size(2);
        int shown = (int) Math.min(steps, 48);
        int n = batch.numExamples();
        for (int k = 0; k < Math.min(count, n); k++) {
            int e = count == 1 ? 0 : (int) ((long) k * (n - 1) / Math.max(1, count - 1));
            double[] history = new double[shown];
            for (int t = 0; t < shown; t++) {
                history[t] = norm.inverse(column, features.getDouble(e, channel, steps - shown + t));
            }
            double[] actual = new double[prep.horizonSteps()];
            double[] predicted = new double[prep.horizonSteps()];
            int example = e;
            for (int h = 0; h < prep.horizonSteps(); h++) {
                double offset = basis.offset((c, t) -> features.getDouble(example, c, t), h, j);
                actual[h] = norm.inverse(column, batch.getLabels().getDouble(e, h * targets + j) + offset);
                predicted[h] = norm.inverse(column, output.getDouble(e, h * targets + j) + offset);
            }
            out.add(new ForecastSample(target, history, actual, predicted));
        }
        return out;
    }
}
