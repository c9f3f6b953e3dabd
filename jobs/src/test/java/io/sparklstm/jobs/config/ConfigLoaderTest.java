package io.sparklstm.jobs.config;

import com.typesafe.config.Config;
import io.sparklstm.model.CellType;
import io.sparklstm.prep.config.InputConfig;
import io.sparklstm.prep.config.MissingConfig;
import io.sparklstm.prep.config.PrepareConfig;
import io.sparklstm.prep.config.SplitConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

    private static Path repoConf(String name) {
        String root = System.getProperty("sparklstm.repo.root", "..");
        return Path.of(root, "conf", name);
    }

    @Test
    void shippedDatasetConfigsAreValid() {
        for (String name : List.of("datasets/etth1.conf", "datasets/synthetic-control.conf",
                "datasets/beijing-pm25.conf", "datasets/japanese-vowels.conf", "datasets/tinyshakespeare.conf")) {
            JobConfig config = JobConfig.from(ConfigLoader.load(repoConf(name).toFile(), List.of()));
            assertTrue(config.training().epochs() > 0, name);
        }
    }

    @Test
    void overridesWinOverTheFileAndTheDefaults() {
        Config c = ConfigLoader.load(repoConf("datasets/etth1.conf").toFile(),
                List.of("model.layers=[32,16]", "model.cell=peephole", "input.path=file:///data/x.csv",
                        "spark.conf.\"spark.ui.enabled\"=false"));
        JobConfig config = JobConfig.from(c);
        assertEquals(List.of(32, 16), config.model().layers());
        assertEquals(CellType.PEEPHOLE, config.model().cell());
        assertEquals("file:///data/x.csv", config.prepare().input().path());
        assertEquals("false", config.spark().conf().get("spark.ui.enabled"));
    }

    @Test
    void unknownKeysAreNamedWithASuggestion() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, List.of("training.epoch=3")));
        assertTrue(e.getMessage().contains("training.epoch: unknown key"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean training.epochs?"), e.getMessage());
    }

    @Test
    void illTypedValuesAreNamed() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, List.of("training.epochs=many")));
        assertTrue(e.getMessage().contains("training.epochs"), e.getMessage());
    }

    @Test
    void allProblemsAreReportedTogether(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, "model { dropout = 1.5, cell = gru }\nsplit.fractions = [0.9, 0.9, 0.1]\nfoo = 1\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> JobConfig.from(ConfigLoader.load(file.toFile(), List.of())));
        assertEquals(List.of("foo: unknown key", "model.cell = \"gru\" is invalid: expected one of [lstm, peephole]",
                        "model.dropout = 1.5 is invalid: expected a probability in [0, 1)",
                        "split.fractions = [0.9, 0.9, 0.1] is invalid: expected fractions that sum to at most 1"),
                e.problems(), "unknown keys, bad values and values of every record, in key order");
    }

    /**
     * A new user's first file with a mistake of every kind: each is a line of one error naming its key and value,
     * not the first of them per run. The records' own checks (ranges, two windows settings of one record, the
     * cross-field checks of the preparation) run although other keys are unknown or ill-typed.
     */
    @Test
    void everyProblemOfEveryKindIsReportedAtOnce() {
        ConfigException e = assertThrows(ConfigException.class, () -> JobConfig.from(ConfigLoader.load(null, List.of(
                "prepare.minibatchSize=32.5", "training.epochs=many", "trainig.workers=2", "model.layers=[64, 0.5]",
                "timeseries.windowSteps=0", "timeseries.horizonSteps=-1", "split.method=random",
                "input.delimiter=;;", "training.earlyStopping.patience=true"))));
        assertEquals(List.of(
                "input.delimiter = \";;\" is invalid: expected a single character",
                "model.layers = [64, 0.5] is invalid: expected a list of integers",
                "prepare.minibatchSize = 32.5 is invalid: expected an integer",
                "split.method = \"random\" is invalid: expected time or entity for dataset.kind = timeseries (a random "
                        + "split would leak the future into training)",
                "timeseries.horizonSteps = -1 is invalid: expected a positive integer",
                "timeseries.windowSteps = 0 is invalid: expected a positive integer",
                "trainig.workers: unknown key (did you mean training.workers?)",
                "training.earlyStopping.patience = true is invalid: expected a number",
                "training.epochs = \"many\" is invalid: expected a number"), e.problems());
        for (String line : e.getMessage().split("\n")) {
            assertTrue(line.startsWith("invalid configuration:") || line.startsWith("  - "), line);
        }
    }

    /**
     * A wrong dataset kind is put back to its default to check the rest; the synthetic control's random split,
     * wrong only for that default kind, is not reported, while a wrong value of its own still is.
     */
    @Test
    void aProblemOnlyTheDefaultPutInPlaceOfAWrongValueWouldHaveIsNotReported() {
        ConfigException e = assertThrows(ConfigException.class, () -> JobConfig.from(ConfigLoader.load(
                repoConf("datasets/synthetic-control.conf").toFile(), List.of("dataset.kind=sequence",
                        "prepare.minibatchSize=0", "timeseries.missing.columns.x=guess"))));
        assertEquals(List.of("dataset.kind = \"sequence\" is invalid: expected one of [timeseries, sequences, ts, text]",
                "prepare.minibatchSize = 0 is invalid: expected a positive integer",
                "timeseries.missing.columns.\"x\" = \"guess\" is invalid: expected one of [fail, drop_windows, ffill, "
                        + "interpolate]"), e.problems());
    }

    @Test
    void perSequenceAndSequenceStatsAreReadForTheSequenceKindsAndABadValueOrKindNamesTheKey() {
        JobConfig config = JobConfig.from(ConfigLoader.load(repoConf("datasets/japanese-vowels.conf").toFile(),
                List.of("prepare.perSequence=Center", "prepare.sequenceStats=true")));
        assertEquals(io.sparklstm.prep.config.PerSequence.CENTER, config.prepare().perSequence());
        assertTrue(config.prepare().sequenceStats());
        assertEquals(io.sparklstm.prep.config.PerSequence.NONE,
                JobConfig.from(ConfigLoader.load(repoConf("datasets/etth1.conf").toFile(), List.of())).prepare()
                        .perSequence());
        ConfigException bad = assertThrows(ConfigException.class, () -> JobConfig.from(ConfigLoader.load(
                repoConf("datasets/synthetic-control.conf").toFile(), List.of("prepare.perSequence=zscore"))));
        assertEquals(List.of("prepare.perSequence = \"zscore\" is invalid: expected one of [none, center, "
                + "standardize]"), bad.problems());
        ConfigException forecasting = assertThrows(ConfigException.class, () -> JobConfig.from(ConfigLoader.load(
                repoConf("datasets/etth1.conf").toFile(), List.of("prepare.perSequence=standardize",
                        "prepare.sequenceStats=true"))));
        assertEquals(2, forecasting.problems().size(), forecasting.problems().toString());
        assertTrue(forecasting.problems().get(0).startsWith("prepare.perSequence = \"standardize\" is invalid: "
                + "expected none unless dataset.kind = sequences or ts"), forecasting.problems().get(0));
        assertTrue(forecasting.problems().get(1).startsWith("prepare.sequenceStats = true is invalid: expected false "
                + "unless dataset.kind = sequences or ts"), forecasting.problems().get(1));
    }

    @Test
    void aFractionalValueForAnIntegerKeyIsAnErrorNotTruncated() {
        for (String key : List.of("prepare.minibatchSize", "training.epochs", "text.sequenceSteps", "prepare.seed")) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> JobConfig.from(ConfigLoader.load(null, List.of(key + "=32.5"))), key);
            assertEquals(List.of(key + " = 32.5 is invalid: expected an integer"), e.problems());
        }
        Config retrain = ConfigLoader.load(null, List.of("retrain.registry=r", "retrain.name=n",
                "retrain.keepVersions=2.5"));
        ConfigException keep = assertThrows(ConfigException.class,
                () -> io.sparklstm.jobs.registry.RetrainConfig.from(retrain));
        assertEquals(List.of("retrain.keepVersions = 2.5 is invalid: expected an integer"), keep.problems());
        ConfigException list = assertThrows(ConfigException.class,
                () -> JobConfig.from(ConfigLoader.load(null, List.of("model.denseLayers=[16.5]"))));
        assertEquals(List.of("model.denseLayers = [16.5] is invalid: expected a list of integers"), list.problems());
        // a whole number written as a decimal is the integer; a fractional number for a number key is fine
        JobConfig ok = JobConfig.from(ConfigLoader.load(null, List.of("prepare.minibatchSize=16.0",
                "model.learningRate=1", "input.sentinels=[-9999, 1.5]")));
        assertEquals(16, ok.prepare().minibatchSize());
        assertEquals(1.0, ok.model().learningRate());
        assertEquals(List.of(-9999.0, 1.5), ok.prepare().input().sentinels());
    }

    @Test
    void quotedOverrideValuesAreHoconStringsWithoutTheirQuotes() {
        JobConfig quoted = JobConfig.from(ConfigLoader.load(null, List.of("timeseries.timestampColumn=\"date time\"",
                "input.naTokens=[\"NA\",\"?\"]", "input.delimiter=\";\"", "sequences.separator=\"[ ,]+\"",
                "timeseries.missing.columns={\"pm2.5\" = \"ffill\"}")));
        assertEquals("date time", quoted.prepare().timeseries().timestampColumn());
        assertEquals(List.of("NA", "?"), quoted.prepare().input().naTokens());
        assertEquals(';', quoted.prepare().input().delimiterChar());
        assertEquals("[ ,]+", quoted.prepare().sequences().separator());
        JobConfig tabs = JobConfig.from(ConfigLoader.load(null, List.of("input.delimiter=\"\\t\"")));
        assertEquals('\t', tabs.prepare().input().delimiterChar());
        assertEquals(MissingConfig.Policy.FFILL, quoted.prepare().timeseries().missing().of("pm2.5"));
        // plain text stays plain text, whatever characters it has (a lone quote is a one-character string)
        JobConfig plain = JobConfig.from(ConfigLoader.load(null, List.of("timeseries.timestampColumn=ts",
                "input.path=hdfs://nn:8020/data/x?.csv", "timeseries.timestampFormat=yyyy-MM-dd'T'HH:mm",
                "input.delimiter=\"")));
        assertEquals("ts", plain.prepare().timeseries().timestampColumn());
        assertEquals("hdfs://nn:8020/data/x?.csv", plain.prepare().input().path());
        assertEquals("yyyy-MM-dd'T'HH:mm", plain.prepare().timeseries().timestampFormat());
        assertEquals('"', plain.prepare().input().delimiterChar());
        ConfigException bad = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, List.of("input.delimiter=\"a\"b\"")));
        assertTrue(bad.getMessage().startsWith("--set input.delimiter=\"a\"b\": "), bad.getMessage());
    }

    @Test
    void splitEndDatesOutOfOrderOrUnparsableAreNamed() {
        ConfigException order = assertThrows(ConfigException.class, () -> JobConfig.from(ConfigLoader.load(
                repoConf("datasets/etth1.conf").toFile(), List.of("split.trainEnd=2017-10-24 00:00:00",
                        "split.validationEnd=2017-06-26 00:00:00", "split.testEnd=2017-06-26 00:00:00"))));
        assertEquals(List.of("split.testEnd = \"2017-06-26 00:00:00\" is invalid: expected a time after "
                        + "split.validationEnd = \"2017-06-26 00:00:00\"",
                "split.validationEnd = \"2017-06-26 00:00:00\" is invalid: expected a time after "
                        + "split.trainEnd = \"2017-10-24 00:00:00\""), order.problems());
        ConfigException test = assertThrows(ConfigException.class, () -> JobConfig.from(ConfigLoader.load(
                repoConf("datasets/etth1.conf").toFile(), List.of("split.testEnd=2017-10-24 00:00:00"))));
        assertEquals(List.of("split.testEnd = \"2017-10-24 00:00:00\" is invalid: expected a time after "
                + "split.validationEnd = \"2017-10-24 00:00:00\""), test.problems());
        ConfigException unparsable = assertThrows(ConfigException.class, () -> JobConfig.from(ConfigLoader.load(
                repoConf("datasets/etth1.conf").toFile(), List.of("split.trainEnd=2017-06-26", "split.testEnd=soon"))));
        assertEquals(List.of("split.testEnd = \"soon\" is invalid: expected a timestamp in the format "
                        + "timeseries.timestampFormat = \"yyyy-MM-dd HH:mm:ss\"",
                "split.trainEnd = \"2017-06-26\" is invalid: expected a timestamp in the format "
                        + "timeseries.timestampFormat = \"yyyy-MM-dd HH:mm:ss\""), unparsable.problems());
    }

    @Test
    void aMissingConfFileIsAConfigError() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(Path.of("no/such.conf").toFile(), List.of()));
        assertTrue(e.getMessage().contains("no/such.conf"), e.getMessage());
    }

    @Test
    void messyTableSettingsAreMappedWithPerColumnMissingPolicies() {
        JobConfig config = JobConfig.from(ConfigLoader.load(repoConf("datasets/beijing-pm25.conf").toFile(),
                List.of("input.format=parquet", "input.onBadRecord=quarantine", "input.sentinels=[-9999]",
                        "timeseries.entityColumn=station", "split.method=entity", "split.trainEnd=",
                        "split.validationEnd=", "split.testEnd=")));
        PrepareConfig p = config.prepare();
        assertEquals(InputConfig.Format.PARQUET, p.input().format());
        assertEquals(InputConfig.BadRecords.QUARANTINE, p.input().onBadRecord());
        assertEquals(List.of(-9999.0), p.input().sentinels());
        assertEquals(List.of("year", "month", "day", "hour"), p.timeseries().timestampColumns());
        assertEquals(List.of("cbwd"), p.timeseries().categoricalColumns());
        assertEquals("station", p.timeseries().entityColumn());
        assertEquals(SplitConfig.Method.ENTITY, p.split().method());
        assertEquals(MissingConfig.Policy.INTERPOLATE, p.timeseries().missing().of("pm2.5"));
        assertEquals(MissingConfig.Policy.FAIL, p.timeseries().missing().of("TEMP"));
    }

    @Test
    void aBadMissingPolicyOrEntitySplitWithoutEntitiesNamesTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> JobConfig.from(ConfigLoader.load(
                repoConf("datasets/beijing-pm25.conf").toFile(),
                List.of("timeseries.missing.columns.\"pm2.5\"=guess"))));
        assertTrue(e.getMessage().contains("timeseries.missing.columns.\"pm2.5\" = \"guess\" is invalid"),
                e.getMessage());
        ConfigException entity = assertThrows(ConfigException.class, () -> JobConfig.from(ConfigLoader.load(
                repoConf("datasets/beijing-pm25.conf").toFile(), List.of("split.method=entity", "split.trainEnd=",
                        "split.validationEnd=", "split.testEnd="))));
        assertTrue(entity.getMessage().contains("split.method = \"entity\" is invalid"), entity.getMessage());
    }

    /** The training and retraining settings' problems have the one form: key, value as read, what would work. */
    @Test
    void trainingAndRetrainProblemsNameTheKeyTheValueAndWhatWouldWork() {
        ConfigException training = assertThrows(ConfigException.class, () -> JobConfig.from(ConfigLoader.load(null,
                List.of("training.workers=-2", "training.progress=sometimes", "training.averageLastEpochs=0"))));
        assertEquals(List.of("training.averageLastEpochs = 0 is invalid: expected a positive integer (1: no averaging)",
                "training.progress = sometimes is invalid: expected auto, always or never",
                "training.workers = -2 is invalid: expected >= 0"), training.problems());
        ConfigException retrain = assertThrows(ConfigException.class, () -> io.sparklstm.jobs.registry.RetrainConfig
                .from(ConfigLoader.load(null, List.of("retrain.registry=r", "retrain.name=n", "retrain.metric=auc",
                        "retrain.minImprovement=-1", "retrain.maxMeanShift=-0.5", "retrain.keepVersions=0",
                        "retrain.lockStaleMinutes=0"))));
        assertEquals(List.of("retrain.metric = auc is invalid: expected one of [loss, accuracy, f1, mse, mae, rmse, "
                        + "mse_original, mae_original, rmse_original]",
                "retrain.minImprovement = -1.0 is invalid: expected >= 0",
                "retrain.maxMeanShift = -0.5 is invalid: expected >= 0",
                "retrain.keepVersions = 0 is invalid: expected a positive integer",
                "retrain.lockStaleMinutes = 0.0 is invalid: expected a number of minutes, at least 1 second (fractions "
                        + "allowed: 0.5 is 30 s)"), retrain.problems());
        IllegalArgumentException rule = assertThrows(IllegalArgumentException.class,
                () -> new io.sparklstm.jobs.registry.PromotionRule("loss", -0.25));
        assertEquals("retrain.minImprovement = -0.25 is invalid: expected >= 0", rule.getMessage());
    }

    /**
     * Rounds in one job run on the pooled workers and are planned before the job: with dl4j-spark's rebuilt
     * workers or a period in seconds the configuration is refused naming both keys; dl4j-spark's statistics are
     * then simply not collected.
     */
    @Test
    void roundsPerJobRefusesWhatItCannotRunWithNamingTheKeys() {
        ConfigException e = assertThrows(ConfigException.class, () -> JobConfig.from(ConfigLoader.load(null,
                List.of("training.roundsPerJob=10", "training.reuseWorkerNetworks=false",
                        "training.averagingSeconds=0.5"))));
        assertEquals(2, e.problems().size(), e.problems().toString());
        assertTrue(e.problems().get(0).startsWith("training.reuseWorkerNetworks = false is invalid with "
                + "training.roundsPerJob = 10"), e.problems().get(0));
        assertTrue(e.problems().get(1).startsWith("training.averagingSeconds = 0.5 is invalid with "
                + "training.roundsPerJob = 10"), e.problems().get(1));
        ConfigException zero = assertThrows(ConfigException.class, () -> JobConfig.from(ConfigLoader.load(null,
                List.of("training.roundsPerJob=0", "training.exchangePort=70000"))));
        assertEquals(List.of("training.exchangePort = 70000 is invalid: expected a port number from 0 to 65535",
                "training.roundsPerJob = 0 is invalid: expected a positive integer"), zero.problems());
        TrainingConfig inJobs = JobConfig.from(ConfigLoader.load(null, List.of("training.roundsPerJob=10")))
                .training();
        assertTrue(inJobs.collectTrainingStats() && inJobs.roundsInOneJob() && !inJobs.dl4jStatistics());
        TrainingConfig perRound = JobConfig.from(ConfigLoader.load(null, List.of())).training();
        assertTrue(perRound.dl4jStatistics() && !perRound.roundsInOneJob());
    }
}
