package io.sparklstm.model.data;

import io.sparklstm.model.settings.InvalidSetting;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The naive forecasts of a forecasting window, made from the window's own inputs, and what the model's targets
 * are measured from ({@code timeseries.targetOffset}). Everything is on the standardized scale the model trains
 * on, per target column and horizon step.
 *
 * <ul>
 *   <li><b>persistence</b>: the last input value, at every horizon step;</li>
 *   <li><b>seasonal</b> (season {@code s} steps, at most the window): the value one season before, repeated
 *   over the horizon: step {@code h} (from 0) is forecast by input step {@code W - s + h mod s};</li>
 *   <li><b>mean</b>: the training split's mean (0 on the standardized scale; only with standardized data).</li>
 * </ul>
 *
 * A network's output is a target minus its offset (none, the last input value, or the seasonal naive value);
 * the errors of any forecast are the same on either side of the offset, so baselines are scored as forecasts
 * of the network's targets: the baseline's value minus the same offset.
 *
 * @param windowSteps    input steps of a window
 * @param horizonSteps   forecast steps
 * @param targetChannels the input channel of each target column
 * @param season         the season in steps; 0 for none
 * @param offset         what targets are measured from
 * @param standardized   whether the data was standardized with the training statistics (the mean baseline's
 *                       value is then 0)
 */
public record NaiveForecasts(int windowSteps, int horizonSteps, int[] targetChannels, int season, Offset offset,
                             boolean standardized) implements Serializable {

    /** What forecast targets are measured from, as {@code timeseries.targetOffset} says. */
    public enum Offset { NONE, LAST, SEASON }

    public static final String PERSISTENCE = "persistence";
    public static final String SEASONAL = "seasonal";
    public static final String MEAN = "mean";

    /** A window's standardized inputs. */
    public interface Window {
        double at(int channel, int step);
    }

    public NaiveForecasts {
        targetChannels = targetChannels.clone();
        if (season < 0 || season > windowSteps) {
            throw new IllegalArgumentException(InvalidSetting.message("timeseries.season", season, "0 (none) "
                    + "or a season of at most timeseries.windowSteps = " + windowSteps + " steps"));
        }
        if (offset == Offset.SEASON && season == 0) {
            throw new IllegalArgumentException("timeseries.targetOffset = \"season\" is invalid without a season: "
                    + "set timeseries.season (steps), or let auto find one day within the window");
        }
    }

    /**
     * The naive forecasts of a forecasting preparation: its window, targets and normalizer, and the resolved
     * {@code timeseries.season} and {@code timeseries.targetOffset} of its settings (a preparation made before
     * seasons were recorded has none).
     */
    public static NaiveForecasts of(Preparation prep) {
        Map<?, ?> ts = prep.settings().get("timeseries") instanceof Map<?, ?> m ? m : Map.of();
        int[] channels = prep.targetNames().stream().mapToInt(t -> prep.featureNames().indexOf(t)).toArray();
        Offset offset = Offset.valueOf(String.valueOf(ts.containsKey("targetOffset") ? ts.get("targetOffset") : "none")
                .trim().toUpperCase(Locale.ROOT));
        int season = seasonOf(ts.get("season"));
        boolean standardized = !(prep.settings().get("prepare") instanceof Map<?, ?> p)
                || !Boolean.FALSE.equals(p.get("normalize"));
        return new NaiveForecasts(prep.windowSteps(), prep.horizonSteps(), channels, season, offset, standardized);
    }

    /** A recorded season: a number of steps; absent or not a number ("auto" unresolved) is none. */
    private static int seasonOf(Object recorded) {
        if (recorded == null) return 0;
        try {
            return Integer.parseInt(String.valueOf(recorded).trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The baselines these windows have: persistence, seasonal where there is a season, mean where standardized. */
    public List<String> baselines() {
        List<String> out = new ArrayList<>();
        out.add(PERSISTENCE);
        if (season > 0) out.add(SEASONAL);
        if (standardized) out.add(MEAN);
        return out;
    }

    /** The input step that forecasts horizon step {@code h} (from 0) in the seasonal naive forecast. */
    public int seasonalStep(int h) {
        return windowSteps - season + h % season;
    }

    /** The standardized value a baseline forecasts for target {@code j} at horizon step {@code h}. */
    public double forecast(String baseline, Window w, int h, int j) {
        int c = targetChannels[j];
        return switch (baseline) {
            case PERSISTENCE -> w.at(c, windowSteps - 1);
            case SEASONAL -> w.at(c, seasonalStep(h));
            case MEAN -> 0.0;
            default -> throw new IllegalArgumentException("no baseline " + baseline);
        };
    }

    /** What target {@code j} at horizon step {@code h} is measured from, standardized. */
    public double offset(Window w, int h, int j) {
        return switch (offset) {
            case NONE -> 0.0;
            case LAST -> forecast(PERSISTENCE, w, h, j);
            case SEASON -> forecast(SEASONAL, w, h, j);
        };
    }

    /**
     * The steps between the values whose differences scale errors into MASE: the season, or one step
     * (persistence) without one.
     */
    public int scaleLag() {
        return season > 0 ? season : 1;
    }
}
