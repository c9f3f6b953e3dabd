package io.sparklstm.jobs.bench;

import com.typesafe.config.ConfigValueFactory;
import io.sparklstm.jobs.config.JobConfig;
import io.sparklstm.jobs.evaluate.DistributedEvaluator;
import io.sparklstm.jobs.evaluate.Metrics;
import io.sparklstm.jobs.evaluate.MinibatchFiles;
import io.sparklstm.jobs.train.TrainJob;
import io.sparklstm.model.NetworkFactory;
import io.sparklstm.model.data.DatasetManifest;
import io.sparklstm.model.data.Preparation;
import io.sparklstm.prep.PrepareJob;
import io.sparklstm.prep.io.HadoopConf;
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

    public static Map<String, Object> run(JavaSparkContext sc, JobConfig config, List<Integer> workers, int epochs, Path work) {
        String dataDir = work.resolve("data").toUri().toString();
        DatasetManifest manifest = PrepareJob.run(sc, config.prepare(), dataDir, true, config.prepareSettings());
        Preparation prep = manifest.preparation();
        List<String> train = TrainJob.absolute(dataDir, manifest.split("train").files());
        List<String> test = TrainJob.absolute(dataDir, manifest.split("test").files());
        String metric = prep.task().isClassification() ? "accuracy" : "mse";

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("input", config.prepare().input().path());
        out.put("epochs", epochs);
        out.put("metric", metric);
        out.put("trainExamples", manifest.split("train").examples());
        out.put("testExamples", manifest.split("test").examples());

        long start = System.nanoTime();
        MultiLayerNetwork net = NetworkFactory.network(config.model(), prep.task(), prep.featureNames().size(),
                prep.outputSize());
        HadoopConf hadoop = new HadoopConf(sc.hadoopConfiguration());
        for (int epoch = 1; epoch <= epochs; epoch++) {
            List<String> order = new ArrayList<>(train);
            Collections.shuffle(order, new Random(config.model().seed() + epoch));
            for (String file : order) net.fit(MinibatchFiles.load(file, hadoop));
        }
        double processSeconds = (System.nanoTime() - start) / 1e9;
        double processScore = score(sc, net, test, prep, metric);
        out.put("process", Map.of(metric, processScore, "seconds", round(processSeconds)));
        LOG.info("bench: one process, {} epochs: test {} {} in {} s", epochs, metric, processScore, processSeconds);

        Map<String, Object> spark = new LinkedHashMap<>();
        for (int w : workers) {
            JobConfig c = JobConfig.from(config.raw()
                    .withValue("training.epochs", ConfigValueFactory.fromAnyRef(epochs))
                    .withValue("training.workers", ConfigValueFactory.fromAnyRef(w))
                    .withValue("training.keepBest", ConfigValueFactory.fromAnyRef(false))
                    .withValue("training.earlyStopping.patience", ConfigValueFactory.fromAnyRef(0))
                    .withValue("training.progress", ConfigValueFactory.fromAnyRef("never")));
            start = System.nanoTime();
            TrainJob.Result result = TrainJob.run(sc, c, dataDir, work.resolve("run-" + w).toUri().toString(), true);
            double seconds = (System.nanoTime() - start) / 1e9;
            double score = ((Number) result.summary().get("test").get(metric)).doubleValue();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(metric, score);
            m.put("seconds", round(seconds));
            m.put(metric + "VsProcess", score - processScore);
            m.put("speedVsProcess", round(processSeconds / seconds));
            spark.put(Integer.toString(w), m);
            LOG.info("bench: parameter averaging on {} workers, {} epochs: test {} {} in {} s", w, epochs, metric,
                    score, seconds);
        }
        out.put("spark", spark);
        return out;
    }

    private static double score(JavaSparkContext sc, MultiLayerNetwork net, List<String> files, Preparation prep,
                                String metric) {
        Map<String, Object> m = Metrics.of(DistributedEvaluator.evaluate(sc, net, files, prep.task(), prep.outputSize()),
                prep);
        return ((Number) m.get(metric)).doubleValue();
    }

    /** One line per mode, for the console. */
    public static String table(Map<String, Object> result) {
        StringBuilder t = new StringBuilder();
        String metric = (String) result.get("metric");
        t.append(String.format(java.util.Locale.ROOT, "statistical efficiency: %s epochs of %s, test %s%n",
                result.get("epochs"), result.get("input"), metric));
        Map<?, ?> p = (Map<?, ?>) result.get("process");
        t.append(String.format(java.util.Locale.ROOT, "  one process      %s %.4f  %8.1f s%n", metric,
                ((Number) p.get(metric)).doubleValue(), ((Number) p.get("seconds")).doubleValue()));
        ((Map<?, ?>) result.get("spark")).forEach((w, v) -> {
            Map<?, ?> s = (Map<?, ?>) v;
            t.append(String.format(java.util.Locale.ROOT, "  spark x%-3s       %s %.4f  %8.1f s  (%+.4f, %.2fx the speed)%n",
                    w, metric, ((Number) s.get(metric)).doubleValue(), ((Number) s.get("seconds")).doubleValue(),
                    ((Number) s.get(metric + "VsProcess")).doubleValue(),
                    ((Number) s.get("speedVsProcess")).doubleValue()));
        });
        return t.toString();
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
