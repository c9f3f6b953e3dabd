package io.sparklstm.jobs.cli;

import io.sparklstm.jobs.config.ConfigException;
import io.sparklstm.jobs.config.ConfigLoader;
import io.sparklstm.jobs.config.JobConfig;
import io.sparklstm.jobs.evaluate.CrossValidation;
import io.sparklstm.jobs.evaluate.EvaluateJob;
import io.sparklstm.jobs.evaluate.Metrics;
import io.sparklstm.jobs.registry.ModelLocation;
import io.sparklstm.jobs.train.RunDirectory;
import io.sparklstm.jobs.train.TrainJob;
import io.sparklstm.prep.config.PrepareConfig;
import io.sparklstm.prep.config.SplitConfig;
import io.sparklstm.prep.config.SplitKeys;
import io.sparklstm.prep.job.PrepareJob;
import io.sparklstm.prep.output.OutputDirectory;
import io.sparklstm.prep.output.OutputKind;
import io.sparklstm.prep.output.OutputRequest;
import io.sparklstm.prep.output.PreparedOutput;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code crossvalidate}: k-fold cross-validation of the configuration and of candidates that change some of its
 * keys, to choose settings on more examples than one validation split holds. Each fold is prepared once per
 * distinct preparation ({@code DIR/data/p<i>-fold-<k>}), each candidate trained on every fold
 * ({@code DIR/<candidate>/fold-<k>}) and its saved model scored on that fold's validation split. The test split is
 * prepared (it stays the same split as without folds) but never scored: choosing on it is what this avoids. Time
 * splits are cross-validated by rolling origin ({@code split.folds} with {@code split.method = time}): each fold
 * validates on a range of the configured validation's length, one length earlier per fold, and trains on what
 * comes before it, so no fold trains on the future of what it validates.
 */
@Command(name = "crossvalidate", mixinStandardHelpOptions = true,
        description = "k-fold cross-validation of the configuration and of candidate changes to it: every "
                + "candidate trained on every fold, scored on the fold held out (split.method = random: folds by a "
                + "seeded hash; time: rolling origin, each fold trained on what comes before its validation "
                + "range); the test split is not read. Writes DIR/crossvalidation.json and DIR/crossvalidation.txt.")
final class CrossValidateCommand extends JobCommand {

    /** A candidate's name: a directory name. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern CANDIDATE = Pattern.compile("\\s*([^:]*):(.*)", Pattern.DOTALL);
    static final String CONFIGURED = "configured";
    static final String JSON = "crossvalidation.json";
    static final String TABLE = "crossvalidation.txt";

    @Mixin
    OutputOptions output;

    @Option(names = "--folds", paramLabel = "K", defaultValue = "5", description = "Number of folds (2-100; "
            + "default 5).")
    int folds;

    @Option(names = "--candidate", paramLabel = "'NAME: KEY=VALUE; KEY=VALUE'", description = "A candidate: the "
            + "configuration with these keys changed (values as --set takes them); repeatable. The configuration "
            + "as given is always the first candidate, '" + CONFIGURED + "'.")
    List<String> candidateSpecs = new ArrayList<>();

    @Option(names = "--metric", paramLabel = "NAME", description = "The validation metric that chooses "
            + "(accuracy, f1, loss, mse, ...; default: accuracy for classification, else loss).")
    String metric;

    /** Per candidate (in order) the configuration of each fold, built and checked before Spark starts. */
    private final Map<String, Candidate> candidates = new LinkedHashMap<>();

    private record Candidate(String name, List<String> overrides, List<JobConfig> byFold) {
    }

    @Override
    void validate(JobConfig config) {
        requireInput(config);
        if (folds < 2 || folds > 100) {
            throw new ConfigException("--folds " + folds + ": expected 2 to 100");
        }
        if (config.prepare().split().method() == SplitConfig.Method.ENTITY) {
            throw new ConfigException(SplitKeys.METHOD.key() + " = entity: crossvalidate draws folds by example "
                    + "(split.method = random) or by time (split.method = time: rolling origin), not by whole series");
        }
        if (config.prepare().kind() == io.sparklstm.prep.config.DatasetKind.TEXT) {
            throw new ConfigException("dataset.kind = text: crossvalidate does not cut text into folds; choose on "
                    + "the validation split (train, evaluate)");
        }
        if (metric != null) {
            // named before any fold trains: a misspelt metric would otherwise end the run after the first fold
            boolean forecast = config.prepare().kind() == io.sparklstm.prep.config.DatasetKind.TIMESERIES;
            List<String> names = io.sparklstm.jobs.config.RetrainKeys.METRICS.stream()
                    .filter(m -> m.equals("loss") || Metrics.CLASS_SCORE_METRICS.contains(m) != forecast).toList();
            if (!names.contains(metric)) {
                throw new ConfigException("--metric " + metric + ": expected one of " + names + " for "
                        + (forecast ? "forecasting" : "classification"));
            }
        }
        candidates.clear();
        candidates.put(CONFIGURED, candidate(CONFIGURED, List.of()));
        for (String spec : candidateSpecs) {
            Matcher m = CANDIDATE.matcher(spec);
            if (!m.matches()) {
                throw new ConfigException("--candidate '" + spec + "': expected 'NAME: KEY=VALUE; KEY=VALUE'");
            }
            String name = m.group(1).strip();
            if (!NAME.matcher(name).matches()) {
                throw new ConfigException("--candidate '" + spec + "': the name '" + name + "' must be letters, digits,"
                        + " '.', '_' or '-' (it names the candidate's directory)");
            }
            if (candidates.containsKey(name)) {
                throw new ConfigException("--candidate '" + spec + "': a second candidate named " + name
                        + (name.equals(CONFIGURED) ? " (the configuration as given has that name)" : ""));
            }
            List<String> overrides = new ArrayList<>();
            for (String part : m.group(2).split(";")) {
                if (!part.isBlank()) overrides.add(part.strip());
            }
            if (overrides.isEmpty()) {
                throw new ConfigException("--candidate '" + spec + "': no KEY=VALUE to change");
            }
            for (String o : overrides) {
                if (o.startsWith("split.fold")) {
                    throw new ConfigException("--candidate '" + spec + "': " + o + ": the folds are crossvalidate's own"
                            + " (--folds)");
                }
            }
            candidates.put(name, candidate(name, overrides));
        }
    }

    /** The candidate's configuration of every fold; a bad key or value fails naming the candidate. */
    private Candidate candidate(String name, List<String> changes) {
        List<JobConfig> byFold = new ArrayList<>();
        for (int k = 0; k < folds; k++) {
            List<String> overrides = new ArrayList<>(common.overrides);
            overrides.addAll(changes);
            overrides.add(SplitKeys.FOLDS.key() + "=" + folds);
            overrides.add(SplitKeys.FOLD.key() + "=" + k);
            try {
                byFold.add(JobConfig.from(ConfigLoader.loadAll(common.conf, overrides)));
            } catch (ConfigException e) {
                throw new ConfigException("candidate " + name + ": " + e.getMessage());
            }
        }
        return new Candidate(name, changes, byFold);
    }

    @Override
    void checkOutputs(JobConfig config, Configuration hadoop) {
        outputRequest(config, qualify(hadoop, output.output), output.overwrite).check(hadoop);
    }

    private static OutputRequest outputRequest(JobConfig config, String dir, boolean overwrite) {
        return new OutputRequest(dir, OutputKind.CROSS_VALIDATION, overwrite,
                OutputRequest.Placement.IN_PLACE_WHEN_NEW, PrepareJob.inputs(config.prepare()));
    }

    @Override
    int run(JavaSparkContext sc, JobConfig config) {
        OutputDirectory out = outputRequest(config, qualify(sc, output.output), output.overwrite)
                .claim(sc.hadoopConfiguration());
        long t0 = System.nanoTime();
        CrossValidation result;
        try {
            result = run(sc, out.path());
            Configuration hadoop = sc.hadoopConfiguration();
            PreparedOutput.writeJson(out.path(), JSON, result.asJson(), hadoop);
            PreparedOutput.writeAtomically(out.path(), TABLE, result.table().getBytes(StandardCharsets.UTF_8), hadoop);
            out.commit();
        } catch (Throwable e) { // also what Spark throws undeclared
            out.abandon();
            throw e;
        }
        System.out.printf("cross-validation, %d folds (validation: each fold in turn; the test split not read)%n",
                folds);
        System.out.print(result.table());
        System.out.printf("crossvalidate finished in %.0f s%n", (System.nanoTime() - t0) / 1e9);
        System.out.println("results:  " + new Path(out.target(), JSON) + ", " + new Path(out.target(), TABLE));
        return ExitCodes.OK;
    }

    private CrossValidation run(JavaSparkContext sc, String root) {
        List<PrepareConfig> preparations = new ArrayList<>();
        List<CrossValidation.Candidate> results = new ArrayList<>();
        String chosenMetric = metric;
        for (Candidate c : candidates.values()) {
            List<Metrics> byFold = new ArrayList<>();
            // candidates that prepare alike (compared at fold 0: the folds differ only in split.fold) share data
            int p = preparations.indexOf(c.byFold().get(0).prepare());
            boolean prepare = p < 0;
            if (prepare) {
                preparations.add(c.byFold().get(0).prepare());
                p = preparations.size() - 1;
            }
            for (int k = 0; k < folds; k++) {
                JobConfig fold = c.byFold().get(k);
                String dataName = "p" + p + "-fold-" + k;
                String data = new Path(new Path(root, "data"), dataName).toString();
                if (prepare) PrepareCommand.prepare(sc, fold, data, false);
                String run = new Path(new Path(root, c.name()), "fold-" + k).toString();
                System.out.printf("crossvalidate: candidate %s, fold %d of %d%n", c.name(), k + 1, folds);
                TrainJob.run(sc, fold, "../../data/" + dataName, run, false);
                Map<String, Metrics> validation = EvaluateJob.run(sc,
                        ModelLocation.loadBundle(new Path(run, RunDirectory.MODEL).toString(),
                                sc.hadoopConfiguration()), data, List.of("validation"), fold.training().evalBatchSize());
                EvaluateCommand.write(sc, new Path(run, "evaluation.json").toString(), validation);
                Metrics m = validation.get("validation");
                if (m == null || m.examples() == 0) {
                    throw new ConfigException(SplitKeys.FOLDS.key() + " = " + folds + ": fold " + k
                            + " holds no validation example; use fewer folds");
                }
                if (chosenMetric == null) {
                    chosenMetric = m.classScores().isPresent() ? "accuracy" : "loss";
                }
                if (m.value(chosenMetric).isEmpty()) {
                    throw new ConfigException("--metric " + chosenMetric + ": the validation metrics have no such "
                            + "value (they have " + m.asJsonObject().keySet() + ")");
                }
                byFold.add(m);
            }
            results.add(new CrossValidation.Candidate(c.name(), c.overrides(), byFold));
        }
        return new CrossValidation(folds, chosenMetric, results);
    }
}
