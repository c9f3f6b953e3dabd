package io.sparklstm.jobs.evaluate;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What k-fold cross-validation measured: for every candidate (the configuration as given, and the same with some
 * keys changed), the validation metrics of each fold, and which candidate the folds choose.
 *
 * <p>A candidate's figure is the pooled one: each fold's value weighted by its validation examples, which for
 * accuracy is the share of all cross-validated examples classified right. Its standard error is that of the mean
 * of the fold values (their sample standard deviation over the square root of the number of folds). The chosen
 * candidate has the best pooled metric; equal ones go to the lower pooled loss, then to the earlier candidate.
 *
 * @param folds      number of folds
 * @param metric     the metric that chooses ({@code accuracy}, {@code loss}, ...)
 * @param candidates in the order they ran, the configuration as given first
 */
public record CrossValidation(int folds, String metric, List<Candidate> candidates) {

    public CrossValidation {
        candidates = List.copyOf(candidates);
        if (candidates.isEmpty()) throw new IllegalArgumentException("no candidates");
    }

    /**
     * @param name      the candidate's name ({@code configured} for the configuration as given)
     * @param overrides its keys and values over the configuration, as {@code --set} takes them
     * @param byFold    the validation metrics of fold 0, 1, ...
     */
    public record Candidate(String name, List<String> overrides, List<Metrics> byFold) {

        public Candidate {
            overrides = List.copyOf(overrides);
            byFold = List.copyOf(byFold);
        }

        /** The metric of each fold, in fold order; an error naming the metric and fold where one has none. */
        public double[] values(String metric) {
            double[] v = new double[byFold.size()];
            for (int k = 0; k < v.length; k++) {
                int fold = k;
                v[k] = byFold.get(k).value(metric).orElseThrow(() -> new IllegalArgumentException(
                        "candidate " + name + ", fold " + fold + ": the validation metrics have no " + metric));
            }
            return v;
        }

        /** Fold values weighted by validation examples. */
        public double pooled(String metric) {
            double[] v = values(metric);
            double sum = 0;
            long examples = 0;
            for (int k = 0; k < v.length; k++) {
                long n = byFold.get(k).examples();
                sum += v[k] * n;
                examples += n;
            }
            return sum / examples;
        }

        /** The standard error of the mean of the fold values. */
        public double standardError(String metric) {
            double[] v = values(metric);
            if (v.length < 2) return Double.NaN;
            double mean = 0;
            for (double x : v) mean += x;
            mean /= v.length;
            double ss = 0;
            for (double x : v) ss += (x - mean) * (x - mean);
            return Math.sqrt(ss / (v.length - 1)) / Math.sqrt(v.length);
        }

        @JsonProperty("examples")
        public long examples() {
            return byFold.stream().mapToLong(Metrics::examples).sum();
        }

        /**
         * A forecasting candidate against the naive forecast with the lowest MSE pooled over the folds (weighted by
         * examples, as {@link #pooled}): its skill over it pooled (1 - pooled model MSE / pooled baseline MSE) and in
         * each fold. Empty unless every fold scored the naive forecasts beside the model.
         */
        public Optional<AgainstBaseline> againstBaseline() {
            if (byFold.stream().anyMatch(m -> m.comparison().isEmpty() || m.forecast().isEmpty())) {
                return Optional.empty();
            }
            String best = null;
            double bestMse = Double.POSITIVE_INFINITY;
            for (String name : byFold.get(0).comparison().get().baselines().keySet()) {
                double sum = 0;
                long examples = 0;
                for (Metrics m : byFold) {
                    ForecastErrors b = m.comparison().get().baselines().get(name);
                    sum += b == null ? Double.NaN : b.mse() * m.examples();
                    examples += m.examples();
                }
                double mse = sum / examples;
                if (mse < bestMse) {
                    bestMse = mse;
                    best = name;
                }
            }
            if (best == null) return Optional.empty();
            double[] byFoldSkill = new double[byFold.size()];
            for (int k = 0; k < byFoldSkill.length; k++) {
                Metrics m = byFold.get(k);
                byFoldSkill[k] = 1 - m.forecast().get().mse() / m.comparison().get().baselines().get(best).mse();
            }
            return Optional.of(new AgainstBaseline(best, 1 - pooled("mse") / bestMse, byFoldSkill));
        }
    }

    /**
     * @param baseline    the naive forecast ({@code seasonal}, {@code persistence}, {@code mean})
     * @param skill       1 - model MSE / its MSE, both pooled over the folds
     * @param skillByFold the same in each fold
     */
    public record AgainstBaseline(String baseline, double skill, double[] skillByFold) {

        /** The folds (from 0) where the model does worse than the baseline. */
        public List<Integer> losingFolds() {
            List<Integer> out = new ArrayList<>();
            for (int k = 0; k < skillByFold.length; k++) {
                if (!(skillByFold[k] > 0)) out.add(k);
            }
            return out;
        }
    }

    /** The candidate the folds choose (see the class comment). */
    public Candidate best() {
        boolean higher = Metrics.higherIsBetter(metric);
        Comparator<Candidate> byMetric = Comparator.comparingDouble(c -> higher ? -c.pooled(metric) : c.pooled(metric));
        Comparator<Candidate> order = metric.equals("loss") ? byMetric
                : byMetric.thenComparingDouble(c -> c.pooled("loss"));
        Candidate best = candidates.get(0);
        for (Candidate c : candidates) {
            if (order.compare(c, best) < 0) best = c;
        }
        return best;
    }

    /** The JSON of {@code crossvalidation.json}: per candidate its fold metrics and summary, then the choice. */
    public Map<String, Object> asJson() {
        List<Object> list = new ArrayList<>();
        for (Candidate c : candidates) {
            List<Object> folds = new ArrayList<>();
            for (int k = 0; k < c.byFold().size(); k++) {
                folds.add(Map.of("fold", k, "validation", c.byFold().get(k).asJsonObject()));
            }
            Map<String, Object> entry = ordered("name", c.name(), "overrides", c.overrides(), "examples",
                    c.examples(), metric, Metrics.round(c.pooled(metric)), metric + "StandardError",
                    Metrics.round(c.standardError(metric)), "loss", Metrics.round(c.pooled("loss")),
                    "lossStandardError", Metrics.round(c.standardError("loss")));
            c.againstBaseline().ifPresent(a -> {
                entry.put("bestBaseline", a.baseline());
                entry.put("skill", Metrics.round(a.skill()));
                entry.put("skillByFold", java.util.Arrays.stream(a.skillByFold()).map(Metrics::round).boxed().toList());
            });
            entry.put("folds", folds);
            list.add(entry);
        }
        return ordered("folds", folds, "metric", metric, "candidates", list, "best", best().name());
    }

    /** A table a person reads: one line per candidate, then the choice and how it compares to the configured. */
    public String table() {
        StringBuilder s = new StringBuilder();
        int width = Math.max(10, candidates.stream().mapToInt(c -> c.name().length()).max().orElse(10));
        // the loss and its standard error beside the metric, unless the metric is the loss
        boolean loss = !metric.equals("loss");
        s.append(String.format(Locale.ROOT, "%-" + width + "s  %10s  %8s", "candidate", metric, "s.e."))
                .append(loss ? String.format(Locale.ROOT, "  %8s  %8s", "loss", "s.e.") : "")
                .append(String.format(Locale.ROOT, "  %8s  %s%n", "examples", "folds (" + metric + ")"));
        List<String> losing = new ArrayList<>();
        boolean everyAgainstBaseline = true;
        for (Candidate c : candidates) {
            StringBuilder perFold = new StringBuilder();
            for (double v : c.values(metric)) perFold.append(String.format(Locale.ROOT, "%.3f ", v));
            Optional<AgainstBaseline> against = c.againstBaseline();
            String skill = against.map(a -> {
                StringBuilder f = new StringBuilder();
                for (double v : a.skillByFold()) f.append(String.format(Locale.ROOT, " %+.3f", v));
                return String.format(Locale.ROOT, "  skill vs %s %+.3f (folds%s)", a.baseline(), a.skill(), f);
            }).orElse("");
            s.append(String.format(Locale.ROOT, "%-" + width + "s  %10.4f  %8.4f", c.name(), c.pooled(metric),
                            c.standardError(metric)))
                    .append(loss ? String.format(Locale.ROOT, "  %8.4f  %8.4f", c.pooled("loss"),
                            c.standardError("loss")) : "")
                    .append(String.format(Locale.ROOT, "  %8d  %s%n", c.examples(), perFold.toString().strip() + skill));
            everyAgainstBaseline &= against.isPresent();
            against.filter(a -> !a.losingFolds().isEmpty()).ifPresent(a -> losing.add(c.name() + " loses to the "
                    + a.baseline() + " naive forecast in fold" + (a.losingFolds().size() > 1 ? "s " : " ")
                    + a.losingFolds()));
        }
        if (everyAgainstBaseline) {
            s.append(losing.isEmpty() ? "every candidate beats the best naive forecast in every fold"
                    : String.join("; ", losing)).append('\n');
        }
        s.append(verdict()).append('\n');
        return s.toString();
    }

    /** One sentence: the chosen candidate, its overrides, and its margin over the configuration as given. */
    public String verdict() {
        Candidate best = best();
        Candidate configured = candidates.get(0);
        String what = best.overrides().isEmpty() ? "" : " (" + String.join("; ", best.overrides()) + ")";
        if (best == configured) {
            return String.format(Locale.ROOT, "chosen: %s%s, %s %.4f over %d folds", best.name(), what, metric,
                    best.pooled(metric), folds);
        }
        double margin = best.pooled(metric) - configured.pooled(metric);
        double se = Math.hypot(best.standardError(metric), configured.standardError(metric));
        String size = Math.abs(margin) > se ? "more than" : "within";
        return String.format(Locale.ROOT, "chosen: %s%s, %s %.4f against %.4f for %s (%+.4f, %s one standard "
                        + "error of the difference, %.4f, taking the folds as independent)", best.name(), what, metric,
                best.pooled(metric), configured.pooled(metric), configured.name(), margin, size, se);
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return m;
    }
}
