package io.sparklstm.jobs.bench;

import io.sparklstm.jobs.config.TrainingConfig;
import io.sparklstm.model.ModelSpec;
import io.sparklstm.jobs.train.AveragingPeriod;
import io.sparklstm.jobs.train.AveragingRounds;
import io.sparklstm.jobs.train.EmptyRound;
import io.sparklstm.jobs.train.LossHook;
import io.sparklstm.jobs.train.RoundTimes;
import io.sparklstm.jobs.train.RoundTrainingMaster;
import io.sparklstm.jobs.train.TrainJob;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Training throughput of dl4j-spark's parameter averaging as {@code train} runs it: random minibatch files,
 * handed to the workers one averaging round at a time. Passes over the files warm up for {@code seconds} (the
 * network on every worker, and the JIT: in a fresh JVM the first five to ten rounds of a 64-unit shape took
 * 1.3-10x a steady round), then passes are timed until {@code seconds} have gone by, as the plain process is
 * timed. Before, one round warmed up and one was timed: the same shape varied by 10-20% between runs, and stood
 * below the steady rate.
 */
final class SparkThroughput {

    private SparkThroughput() {
    }

    /** Empty rounds ({@link EmptyRound}) timed after the passes, after as many untimed. */
    static final int EMPTY_ROUNDS = 15;

    /**
     * The rate of the timed passes, the times of their rounds, and the times of {@value #EMPTY_ROUNDS} empty
     * rounds of the same size.
     */
    record Measured(double examplesPerSecond, List<RoundTimes> rounds, List<Double> emptyRoundMs) {
    }

    /**
     * Examples per second with {@code workers} workers, over passes of {@code rounds} averaging rounds of
     * {@code workers x averagingFrequency} minibatch files (with training.averagingSeconds, the rounds of a pass
     * are sized in time as train sizes them), warmed up for at least {@code warmUpSeconds} and then
     * timed for at least {@code seconds} (at least one pass each).
     */
    static Measured examplesPerSecond(JavaSparkContext sc, Shape shape, TrainingConfig tc, int workers, int rounds,
                                    double warmUpSeconds, double seconds, Path dir) {
        int files = workers * tc.averagingFrequency() * rounds;
        List<String> paths = writeMinibatches(shape, files, dir);
        LossHook hook = new LossHook(sc);
        RoundTrainingMaster master = TrainJob.trainingMaster(tc, shape.minibatch(), workers, 1, hook);
        SparkDl4jMultiLayer net = new SparkDl4jMultiLayer(sc, Workloads.network(shape, 1, ModelSpec.Kernel.AUTO), master);
        AveragingRounds plan = AveragingRounds.of(tc, shape.minibatch(), workers);
        List<AveragingRounds.MinibatchFile> minibatches = paths.stream()
                .map(p -> new AveragingRounds.MinibatchFile(p, shape.minibatch())).toList();
        // with training.averagingSeconds, one for the measurement: the warm-up's rounds size the timed ones
        Optional<AveragingPeriod> period = tc.timedAveraging() ? Optional.of(new AveragingPeriod(
                tc.averagingSeconds(), tc.averagingFrequency(), workers, plan.batch())) : Optional.empty();
        long warmUp = System.nanoTime();
        int pass = 0;
        do {
            pass(sc, net, plan, TrainJob.shuffled(minibatches, ++pass), period, hook);
        } while ((System.nanoTime() - warmUp) / 1e9 < warmUpSeconds);
        hook.reset();
        master.takeRoundTimes();
        long start = System.nanoTime();
        int passes = 0;
        double elapsed;
        do {
            pass(sc, net, plan, TrainJob.shuffled(minibatches, ++pass), period, hook);
            passes++;
            elapsed = (System.nanoTime() - start) / 1e9;
        } while (elapsed < seconds);
        if (hook.examples() != (long) passes * files * shape.minibatch()) {
            throw new IllegalStateException("parameter averaging fitted " + hook.examples() + " of "
                    + (long) passes * files * shape.minibatch() + " examples");
        }
        List<RoundTimes> timed = master.takeRoundTimes();
        List<List<String>> shares = plan.plan(minibatches).get(0).workerPaths();
        List<Double> empty = new ArrayList<>();
        for (int i = 0; i < 2 * EMPTY_ROUNDS; i++) {
            double ms = EmptyRound.millis(sc, net.getNetwork(), shares, master.getAggregationDepth());
            if (i >= EMPTY_ROUNDS) empty.add(ms);
        }
        return new Measured(hook.examples() / elapsed, timed, empty);
    }

    /** One pass over the files, as train runs an epoch: rounds of averagingFrequency, or sized in time. */
    private static void pass(JavaSparkContext sc, SparkDl4jMultiLayer net, AveragingRounds plan,
                             List<AveragingRounds.MinibatchFile> files, Optional<AveragingPeriod> period,
                             LossHook hook) {
        if (period.isPresent()) {
            TrainJob.fitTimedEpoch(sc, net, plan, files, period.get(), hook, round -> { });
        } else {
            TrainJob.fitEpoch(sc, net, plan.plan(files), round -> { });
        }
    }

    private static List<String> writeMinibatches(Shape shape, int files, Path dir) {
        try {
            Files.createDirectories(dir);
            List<String> paths = new ArrayList<>(files);
            for (int i = 0; i < files; i++) {
                Path file = dir.resolve(String.format("batch-%06d.bin", i));
                DataSet batch = Workloads.minibatch(shape, 100 + i);
                try (OutputStream out = Files.newOutputStream(file)) {
                    batch.save(out);
                }
                paths.add(file.toUri().toString());
            }
            return paths;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write benchmark minibatches under " + dir + ": " + e.getMessage(), e);
        }
    }
}
