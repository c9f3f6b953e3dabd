package io.sparklstm.jobs.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Command-line failures that happen before Spark starts. */
class MainTest {

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.execute(new PrintWriter(err, true), args);
    }

    /** Only there: a driver in client mode or local mode exits with its code, 0 included, as before. */
    @Test
    void onlyAYarnClusterModeDriverReturnsToTheApplicationMasterInsteadOfExiting() {
        assertTrue(Main.returnsToApplicationMaster(properties("yarn", "cluster")));
        assertFalse(Main.returnsToApplicationMaster(properties("yarn", "client")));
        assertFalse(Main.returnsToApplicationMaster(properties("spark://127.0.0.1:7077", "cluster")));
        assertFalse(Main.returnsToApplicationMaster(properties("local[2]", "client")));
        assertFalse(Main.returnsToApplicationMaster(new Properties()));
    }

    private static Properties properties(String master, String deployMode) {
        Properties p = new Properties();
        p.setProperty("spark.master", master);
        p.setProperty("spark.submit.deployMode", deployMode);
        return p;
    }

    @Test
    void anUnknownKeyExitsWithTwoAndNamesIt(@TempDir Path dir) {
        int code = run("prepare", "--set", "input.path=x.csv", "--set", "model.layerz=[3]", "--output",
                dir.resolve("o").toString());
        assertEquals(2, code);
        assertTrue(err.toString().contains("model.layerz: unknown key"), err.toString());
    }

    @Test
    void anIllTypedKeyExitsWithTwoAndNamesIt(@TempDir Path dir) {
        int code = run("train", "--set", "training.averagingFrequency=often", "--data", "d", "--output",
                dir.resolve("o").toString());
        assertEquals(2, code);
        assertTrue(err.toString().contains("training.averagingFrequency"), err.toString());
    }

    @Test
    void aNegativeAveragingPeriodInSecondsExitsWithTwoAndNamesTheKey(@TempDir Path dir) {
        int code = run("train", "--set", "training.averagingSeconds=-1", "--data", "d", "--output",
                dir.resolve("o").toString());
        assertEquals(2, code);
        assertTrue(err.toString().contains("training.averagingSeconds"), err.toString());
        assertTrue(err.toString().contains(">= 0"), err.toString());
    }

    @Test
    void trainTakesEitherANewRunOrResumeAndPicocliSaysWhichIsWrong(@TempDir Path dir) {
        String out = dir.resolve("o").toString();
        assertEquals(2, run("train", "--data", "d", "--output", out, "--resume", out));
        assertTrue(err.toString().contains("expected only one match"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("train", "--data", "d"));
        assertTrue(err.toString().contains("--output"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("train"));
        assertTrue(err.toString().contains("Missing required argument"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("train", "--resume", out, "--conf", "x.conf"));
        assertTrue(err.toString().contains("do not combine it with --conf"), err.toString());
    }

    /**
     * Runs {@code prepare} with a master no Spark can start: a configuration check that let the settings through
     * would fail with 1 here instead of starting a job.
     */
    private int prepareWithoutSpark(Path dir, String... settings) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("prepare", "--master", "no-such-master",
                "--output", dir.resolve("o").toString()));
        for (String s : settings) {
            args.add("--set");
            args.add(s);
        }
        return run(args.toArray(String[]::new));
    }

    @Test
    void everyConfigProblemIsOneLineAndAllExitTwoTogether(@TempDir Path dir) {
        int code = prepareWithoutSpark(dir, "input.path=x.csv", "prepare.minibatchSize=32.5", "model.dropuot=0.1",
                "timeseries.windowSteps=0", "split.fractions=[0.5, 0.6, 0]");
        assertEquals(2, code, err.toString());
        String[] lines = err.toString().split("\n");
        assertEquals("spark-lstm prepare: invalid configuration:", lines[0]);
        assertEquals(java.util.List.of(
                "  - model.dropuot: unknown key (did you mean model.dropout?)",
                "  - prepare.minibatchSize = 32.5 is invalid: expected an integer",
                "  - split.fractions = [0.5, 0.6, 0.0] is invalid: expected fractions that sum to at most 1",
                "  - timeseries.windowSteps = 0 is invalid: expected a positive integer"),
                java.util.List.of(lines).subList(1, lines.length));
    }

    @Test
    void splitEndDatesOutOfOrderExitTwoBeforeSparkStarts(@TempDir Path dir) {
        int code = prepareWithoutSpark(dir, "input.path=x.csv", "split.trainEnd=2017-06-01 00:00:00",
                "split.validationEnd=2017-06-01 00:00:00");
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("split.validationEnd = \"2017-06-01 00:00:00\" is invalid: expected a "
                + "time after split.trainEnd = \"2017-06-01 00:00:00\""), err.toString());
    }

    @Test
    void aTsTestPathThatIsTheInputPathExitsTwoBeforeSparkStarts(@TempDir Path dir) {
        int code = prepareWithoutSpark(dir, "dataset.kind=ts", "split.method=random", "input.path=data/a_TRAIN.ts",
                "ts.testPath=data//a_TRAIN.ts");
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("ts.testPath = \"data//a_TRAIN.ts\" is invalid: expected other files "
                + "than input.path"), err.toString());
    }

    /** Settings found wrong only once the job lists the files (a glob under two keys) are still exit code 2. */
    @Test
    void aSettingsErrorFoundByTheJobExitsTwoEvenWhenWrapped() {
        Exception wrapped = new RuntimeException("job failed",
                new io.sparklstm.prep.config.InvalidSettingsException("ts.testPath = \"*.ts\" is invalid: expected x"));
        assertEquals(ExitCodes.USAGE, ExitCodes.of(wrapped));
        assertEquals("ts.testPath = \"*.ts\" is invalid: expected x", ExitCodes.rootCause(wrapped).getMessage());
    }

    /** A .ts model's test file is what a user naturally scores: it must not count as input.path's twin. */
    @Test
    void predictMayScoreTheTestFileTheModelWasPreparedWith() {
        java.util.Map<String, Object> settings = java.util.Map.of("dataset", java.util.Map.of("kind", "ts"),
                "split", java.util.Map.of("method", "random"), "input", java.util.Map.of("path", "data/a_TRAIN.ts"),
                "ts", java.util.Map.of("testPath", "data/a_TEST.ts"));
        io.sparklstm.jobs.config.JobConfig config = PredictCommand.dataConfig(settings, java.util.List.of(),
                java.util.List.of(), "data/a_TEST.ts");
        assertEquals("data/a_TEST.ts", config.prepare().input().path());
        assertTrue(!config.prepare().ts().hasTestPath());
    }

    /**
     * A dataset config that says auto for what the model's preparation resolved (the time axis's step, the season,
     * the target offset) scores with the model's values; another explicit value is refused.
     */
    @Test
    void predictTakesTheModelsResolvedValuesForAutoAndRefusesOthers() {
        java.util.Map<String, Object> settings = java.util.Map.of("dataset", java.util.Map.of("kind", "timeseries"),
                "timeseries", java.util.Map.of("frequency", "1h", "season", "24", "targetOffset", "season"));
        io.sparklstm.jobs.config.JobConfig config = PredictCommand.dataConfig(settings, java.util.List.of(),
                java.util.List.of("timeseries.frequency=auto", "timeseries.season=auto", "timeseries.targetOffset=auto"),
                "new.csv");
        assertEquals(3600, config.prepare().timeseries().frequency().seconds());
        assertEquals(24, config.prepare().timeseries().season());
        assertEquals(io.sparklstm.prep.config.TimeSeriesConfig.TargetOffset.SEASON,
                config.prepare().timeseries().targetOffset());
        io.sparklstm.jobs.config.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.sparklstm.jobs.config.ConfigException.class, () -> PredictCommand.dataConfig(settings,
                        java.util.List.of(), java.util.List.of("timeseries.targetOffset=last"), "new.csv"));
        assertTrue(e.getMessage().contains("timeseries.targetOffset = \"last\" differs from the model's \"season\""),
                e.getMessage());
    }

    /**
     * predict makes each case the inputs the model's training data was made (prepare.perSequence and sequenceStats,
     * recorded with the model; none and false for a model recorded before the keys); another value on the command
     * line is refused, not applied.
     */
    @Test
    void predictTakesTheModelsPerSequenceTransformAndRefusesAnother() {
        java.util.Map<String, Object> settings = java.util.Map.of("dataset", java.util.Map.of("kind", "ts"),
                "split", java.util.Map.of("method", "random"), "prepare", java.util.Map.of("perSequence", "center",
                        "sequenceStats", true));
        io.sparklstm.jobs.config.JobConfig config = PredictCommand.dataConfig(settings, java.util.List.of(),
                java.util.List.of(), "data/new.ts");
        assertEquals(io.sparklstm.prep.config.PerSequence.CENTER, config.prepare().perSequence());
        assertTrue(config.prepare().sequenceStats());
        io.sparklstm.jobs.config.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.sparklstm.jobs.config.ConfigException.class, () -> PredictCommand.dataConfig(settings,
                        java.util.List.of(), java.util.List.of("prepare.perSequence=none", "prepare.sequenceStats=false"),
                        "data/new.ts"));
        assertEquals(java.util.List.of("prepare.perSequence = \"none\" differs from the model's \"center\": the "
                + "network was built on it", "prepare.sequenceStats = false differs from the model's true: the network "
                + "was built on it"), e.problems());
        java.util.Map<String, Object> older = java.util.Map.of("dataset", java.util.Map.of("kind", "ts"),
                "split", java.util.Map.of("method", "random"), "prepare", java.util.Map.of("normalize", true));
        io.sparklstm.prep.config.PrepareConfig old = PredictCommand.dataConfig(older, java.util.List.of(),
                java.util.List.of(), "data/new.ts").prepare();
        assertEquals(io.sparklstm.prep.config.PerSequence.NONE, old.perSequence());
        assertTrue(!old.sequenceStats());
    }

    @Test
    void prepareWithoutInputPathIsAConfigError(@TempDir Path dir) {
        assertEquals(2, run("prepare", "--output", dir.resolve("o").toString()));
        assertTrue(err.toString().contains("input.path: required"), err.toString());
    }

    @Test
    void aMissingRequiredOptionIsAUsageError() {
        assertEquals(2, run("train", "--output", "x"));
        assertTrue(err.toString().contains("--data"), err.toString());
    }

    @Test
    void sampleWithAMissingModelIsAnInputErrorAndANegativeLengthAUsageError(@TempDir Path dir) {
        assertEquals(3, run("sample", "--model", dir.resolve("none").toString()));
        assertTrue(err.toString().contains("not a model bundle"), err.toString());
        assertEquals(2, run("sample", "--model", dir.toString(), "--length", "-1"));
        assertTrue(err.toString().contains("--length -1 is invalid"), err.toString());
    }

    @Test
    void benchNamesTheBadOptionBeforeSparkStarts(@TempDir Path dir) {
        String out = dir.resolve("b").toString();
        assertEquals(2, run("bench", "--workers", "1,x", "--output", out));
        assertTrue(err.toString().contains("--workers") && err.toString().contains("'x'"), err.toString());
        assertEquals(2, run("bench", "--workers", "0", "--output", out));
        assertEquals(2, run("bench", "--repeat", "0", "--output", out));
        assertTrue(err.toString().contains("--repeat must be 1 or more"), err.toString());
        assertEquals(2, run("bench", "--warm-up", "-1", "--output", out));
        assertTrue(err.toString().contains("--warm-up must be 0 or more"), err.toString());
    }

    @Test
    void anOutputThatCannotBeWrittenExitsWithTwoBeforeSparkStarts(@TempDir Path dir) throws java.io.IOException {
        Path file = java.nio.file.Files.writeString(dir.resolve("a-file"), "not a directory");
        String under = file.resolve("out").toString();
        assertEquals(2, run("prepare", "--set", "input.path=x.csv", "--output", under));
        assertEquals(2, run("train", "--data", dir.toString(), "--output", under));
        assertEquals(2, run("pipeline", "--set", "input.path=x.csv", "--output", under));
        assertEquals(2, run("predict", "--model", dir.toString(), "--input", "x.csv", "--output", under));
        assertEquals(2, run("retrain", "--set", "input.path=x.csv", "--set", "retrain.name=m",
                "--set", "retrain.registry=" + dir.resolve("registry"), "--round", "r1", "--output", under));
        assertEquals(2, run("evaluate", "--model", dir.resolve("m").toString(), "--data", dir.resolve("d").toString(),
                "--output", file.resolve("metrics.json").toString()));
        assertEquals(6, err.toString().split(java.util.regex.Pattern.quote(file + " is a file"), -1).length - 1,
                err.toString());
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : Main.commandNames()) {
            assertEquals(0, run(command, "--help"), command);
        }
    }

    /** The launcher contract of DESIGN.md: these commands exist (the list itself is Main's). */
    @Test
    void theCommandsHoldEveryCommandTheLauncherPromises() {
        List<String> commands = Main.commandNames();
        assertTrue(commands.containsAll(List.of("prepare", "train", "evaluate", "predict", "retrain", "pipeline",
                "bench", "doctor")), commands.toString());
        assertFalse(commands.contains("help"), commands.toString());
    }

    @Test
    void crossvalidateRefusesTimeSplitsAndBadCandidatesBeforeSparkStarts(@TempDir Path dir) {
        String out = dir.resolve("cv").toString();
        // a time split is cross-validated by rolling origin, each fold one validation length (0.1) earlier: 9 folds
        // would start the earliest fold's validation before any training row
        assertEquals(2, run("crossvalidate", "--set", "input.path=x.csv", "--folds", "9", "--output", out));
        assertTrue(err.toString().contains("split.folds = 9 is invalid: expected at most 7: the earliest"),
                err.toString());
        assertEquals(2, run("crossvalidate", "--set", "input.path=x.csv", "--set", "split.method=entity",
                "--set", "timeseries.entityColumn=station", "--output", out));
        assertTrue(err.toString().contains("split.method = entity: crossvalidate draws folds by example"),
                err.toString());
        assertEquals(2, run("crossvalidate", "--set", "input.path=x.csv", "--metric", "accuracy", "--output", out));
        assertTrue(err.toString().contains("--metric accuracy: expected one of [loss, mse, mae, rmse, mse_original"),
                err.toString());
        String[] random = {"--set", "input.path=x.ts", "--set", "dataset.kind=ts", "--set", "split.method=random"};
        assertEquals(2, run(concat(random, "--candidate", "a b: model.layers=[8]", "--output", out)));
        assertTrue(err.toString().contains("the name 'a b' must be letters"), err.toString());
        assertEquals(2, run(concat(random, "--candidate", "configured: model.layers=[8]", "--output", out)));
        assertTrue(err.toString().contains("a second candidate named configured"), err.toString());
        assertEquals(2, run(concat(random, "--candidate", "f: split.fold=1", "--output", out)));
        assertTrue(err.toString().contains("the folds are crossvalidate's own"), err.toString());
        assertEquals(2, run(concat(random, "--candidate", "wide: model.layerz=[8]", "--output", out)));
        assertTrue(err.toString().contains("candidate wide: ") && err.toString().contains("model.layerz"),
                err.toString());
        assertEquals(2, run(concat(random, "--folds", "1", "--output", out)));
        assertTrue(err.toString().contains("--folds 1: expected 2 to 100"), err.toString());
        assertEquals(2, run(concat(random, "--metric", "acuracy", "--output", out)));
        assertTrue(err.toString().contains("--metric acuracy: expected one of [loss, accuracy, f1] for classification"),
                err.toString());
        assertEquals(2, run(concat(random, "--metric", "mse", "--output", out)));
        assertTrue(err.toString().contains("--metric mse: expected one of"), err.toString());
        assertFalse(java.nio.file.Files.exists(dir.resolve("cv")));
    }

    private static String[] concat(String[] head, String... tail) {
        String[] all = java.util.Arrays.copyOf(head, head.length + tail.length + 1);
        all[0] = "crossvalidate";
        System.arraycopy(head, 0, all, 1, head.length);
        System.arraycopy(tail, 0, all, head.length + 1, tail.length);
        return all;
    }
}
