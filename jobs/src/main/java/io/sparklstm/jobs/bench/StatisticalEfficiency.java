package io.sparklstm.jobs.bench;

import com.typesafe.config.ConfigValueFactory;
import io.sparklstm.jobs.config.JobConfig;
import io.sparklstm.jobs.evaluate.BaselineComparison;
import io.sparklstm.jobs.evaluate.DistributedEvaluator;
import io.sparklstm.jobs.evaluate.Metrics;
import io.sparklstm.jobs.evaluate.MinibatchFiles;
import io.sparklstm.jobs.train.TrainJob;
import io.sparklstm.model.NetworkFactory;
import io.sparklstm.model.data.DatasetManifest;
import io.sparklstm.model.data.Preparation;
import io.sparklstm.prep.io.HadoopConf;
import io.sparklstm.prep.job.PrepareJob;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Statistical efficiency of parameter averaging: the configured dataset (e.g. synthetic control) prepared
 * once, the configured model trained for the same number of epochs by one plain process
 * ({@code MultiLayerNetwork.fit} on every training minibatch file, in the order {@code train} uses) and by
 * {@code train} with each worker count, and each scored on the test split. What averaging costs in accuracy
 * after equal epochs, and what it gains in time.
 */
public final class StatisticalEfficiency {

    private static final Logger LOG = LoggerFactory.getLogger(StatisticalEfficiency.class);

    private StatisticalEfficiency() {
    }

    /**
     * Trains every mode {@code seeds} times, with model seeds {@code model.seed}, {@code model.seed + 1}, ...
     * (initial weights and the order of the minibatch files), seed by seed so that every mode sees the same
     * machine load; reports each mode's mean, spread and runs, and the mean of the paired differences.
     */
    public static Map<String, Object> run(JavaSparkContext sc, JobConfig config, List<Integer> workers, int epochs,
                                          int seeds, Path work) {
        String dataDir = work.resolve("data").toUri().toString();
        DatasetManifest manifest = PrepareJob.run(sc, config.prepare(), dataDir, true, config.prepareSettings());
        Preparation prep = manifest.preparation();
        List<String> train = TrainJob.absolute(dataDir, manifest.split("train").files());
        List<String> test = TrainJob.absolute(dataDir, manifest.split("test").files());
        String metric = prep.task().isClassification() ? "accuracy" : "mse";

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("input", config.prepare().input().path());
        out.put("epochs", epochs);
        out.put("seeds", seeds);
        out.put("metric", metric);
        out.put("trainExamples", manifest.split("train").examples());
        out.put("testExamples", manifest.split("test").examples());

        Runs process = new Runs();
        Map<Integer, Runs> spark = new LinkedHashMap<>();
        for (int w : workers) spark.put(w, new Runs());
        for (int k = 0; k < seeds; k++) {
            long seed = config.model().seed() + k;
            JobConfig seeded = JobConfig.from(config.raw().withValue("model.seed", ConfigValueFactory.fromAnyRef(seed)));
            long start = System.nanoTime();
            MultiLayerNetwork net = NetworkFactory.network(seeded.model(), prep.task(), prep.featureNames().size(),
                    prep.outputSize());
            HadoopConf hadoop = new HadoopConf(sc.hadoopConfiguration());
            for (int epoch = 1; epoch <= epochs; epoch++) {
                List<String> order = new ArrayList<>(train);
                Collections.shuffle(order, new Random(seed + epoch));
                for (String file : order) net.fit(MinibatchFiles.load(file, hadoop));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Metrics scored = Metrics.of(DistributedEvaluator.evaluate(sc, net, test, prep), prep);
            process.add(value(scored, metric), seconds);
            scored.comparison().ifPresent(c -> out.put("baselines", naiveMse(c)));
            LOG.info("bench: one process, seed {}, {} epochs: test {} {} in {} s", seed, epochs, metric,
                    process.scores.get(k), seconds);
            for (int w : workers) {
                JobConfig c = JobConfig.from(seeded.raw()
                        .withValue("training.epochs", ConfigValueFactory.fromAnyRef(epochs))
                        .withValue("training.workers", ConfigValueFactory.fromAnyRef(w))
                        .withValue("training.keepBest", ConfigValueFactory.fromAnyRef(false))
                        .withValue("training.earlyStopping.patience", ConfigValueFactory.fromAnyRef(0))
                        .withValue("training.progress", ConfigValueFactory.fromAnyRef("never")));
                start = System.nanoTime();
                TrainJob.Result result = TrainJob.run(sc, c, dataDir,
                        work.resolve("run-" + w + "-seed-" + seed).toUri().toString(), true);
                seconds = (System.nanoTime() - start) / 1e9;
                double score = value(result.summary().get("test"), metric);
                spark.get(w).add(score, seconds);
                LOG.info("bench: parameter averaging on {} workers, seed {}, {} epochs: test {} {} in {} s", w, seed,
                        epochs, metric, score, seconds);
            }
        }
        out.put("process", process.summary(metric, null));
        Map<String, Object> sparkOut = new LinkedHashMap<>();
        spark.forEach((w, runs) -> sparkOut.put(Integer.toString(w), runs.summary(metric, process)));
        out.put("spark", sparkOut);
        return out;
    }

    /** One mode's scores and times, one per seed, in seed order. */
    private static final class Runs {
        final List<Double> scores = new ArrayList<>();
        final List<Double> seconds = new ArrayList<>();

        void add(double score, double secs) {
            scores.add(score);
            seconds.add(secs);
        }

        /**
         * The mean score under the metric's name (what one run gave, with one seed), the sample standard
         * deviation and the runs; against {@code base}: the mean of the paired differences (same seed) and its
         * standard error, and the speed as the ratio of mean times.
         */
        Map<String, Object> summary(String metric, Runs base) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(metric, mean(scores));
            m.put(metric + "Std", std(scores));
            m.put(metric + "Runs", List.copyOf(scores));
            m.put("seconds", round(mean(seconds)));
            if (base != null) {
                List<Double> diffs = new ArrayList<>();
                for (int i = 0; i < scores.size(); i++) diffs.add(scores.get(i) - base.scores.get(i));
                m.put(metric + "VsProcess", mean(diffs));
                m.put(metric + "VsProcessStdErr", std(diffs) / Math.sqrt(diffs.size()));
                m.put("speedVsProcess", round(mean(base.seconds) / mean(seconds)));
            }
            return m;
        }
    }

    static double mean(List<Double> values) {
        double sum = 0;
        for (double v : values) sum += v;
        return sum / values.size();
    }

    /** The sample standard deviation; 0 for one value. */
    static double std(List<Double> values) {
        if (values.size() < 2) return 0;
        double mean = mean(values);
        double sum = 0;
        for (double v : values) sum += (v - mean) * (v - mean);
        return Math.sqrt(sum / (values.size() - 1));
    }

    /** Each naive forecast's test MSE: what a forecasting model must beat (the same for every mode and seed). */
    private static Map<String, Double> naiveMse(BaselineComparison comparison) {
        Map<String, Double> out = new LinkedHashMap<>();
        comparison.baselines().forEach((name, b) -> out.put(name, b.mse()));
        return out;
    }

    private static double value(Metrics scored, String metric) {
        return scored.value(metric).orElseThrow(() -> new IllegalStateException("the test metrics have no \""
                + metric + "\""));
    }

    /** One line per mode, for the console: the mean over the seeds, with the standard deviation when more than one. */
    public static String table(Map<String, Object> result) {
        StringBuilder t = new StringBuilder();
        String metric = (String) result.get("metric");
        int seeds = ((Number) result.get("seeds")).intValue();
        t.append(String.format(java.util.Locale.ROOT, "statistical efficiency: %s epochs of %s, test %s%s%n",
                result.get("epochs"), result.get("input"), metric,
                seeds > 1 ? ", mean +- standard deviation over " + seeds + " seeds" : ""));
        Map<?, ?> p = (Map<?, ?>) result.get("process");
        t.append(String.format(java.util.Locale.ROOT, "  one process      %s %s  %8.1f s%n", metric, spread(p, metric),
                ((Number) p.get("seconds")).doubleValue()));
        if (result.get("baselines") instanceof Map<?, ?> naive) {
            naive.forEach((name, mse) -> t.append(String.format(java.util.Locale.ROOT,
                    "  naive %-10s %s %.4f (the same test windows)%n", name, metric, ((Number) mse).doubleValue())));
        }
        ((Map<?, ?>) result.get("spark")).forEach((w, v) -> {
            Map<?, ?> s = (Map<?, ?>) v;
            t.append(String.format(java.util.Locale.ROOT, "  spark x%-3s       %s %s  %8.1f s  (%+.4f +- %.4f paired, %.2fx the speed)%n",
                    w, metric, spread(s, metric), ((Number) s.get("seconds")).doubleValue(),
                    ((Number) s.get(metric + "VsProcess")).doubleValue(),
                    ((Number) s.get(metric + "VsProcessStdErr")).doubleValue(),
                    ((Number) s.get("speedVsProcess")).doubleValue()));
        });
        return t.toString();
    }

    private static String spread(Map<?, ?> mode, String metric) {
        return String.format(java.util.Locale.ROOT, "%.4f +- %.4f", ((Number) mode.get(metric)).doubleValue(),
                ((Number) mode.get(metric + "Std")).doubleValue());
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
