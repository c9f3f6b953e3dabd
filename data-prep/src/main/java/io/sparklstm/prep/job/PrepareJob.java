package io.sparklstm.prep.job;

import io.sparklstm.model.Json;
import io.sparklstm.model.data.DatasetManifest;
import io.sparklstm.model.data.Preparation;
import io.sparklstm.model.data.SplitInfo;
import io.sparklstm.model.data.Standardizer;
import io.sparklstm.prep.DatasetKindSupport;
import io.sparklstm.prep.PrepareInputs;
import io.sparklstm.prep.PreparedExamples;
import io.sparklstm.prep.config.InvalidSettingsException;
import io.sparklstm.prep.config.PrepareConfig;
import io.sparklstm.prep.config.SplitConfig;
import io.sparklstm.prep.config.TsKeys;
import io.sparklstm.prep.export.BatchFile;
import io.sparklstm.prep.export.BatchShape;
import io.sparklstm.prep.export.CrossSplitDuplicates;
import io.sparklstm.prep.export.MinibatchWriter;
import io.sparklstm.prep.io.HadoopConf;
import io.sparklstm.prep.io.InputDataException;
import io.sparklstm.prep.io.InputFiles;
import io.sparklstm.prep.output.OutputDirectory;
import io.sparklstm.prep.output.OutputKind;
import io.sparklstm.prep.output.OutputRequest;
import io.sparklstm.prep.output.PreparedOutput;
import io.sparklstm.prep.output.StagedWrite;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code prepare}: raw data to minibatch files and {@code manifest.json}, which is written last. The dataset is
 * written beside its output directory and renamed into place when complete ({@link OutputRequest}): a run that
 * fails or dies midway leaves the directory as it was, and nothing downstream reads a dataset without a manifest.
 */
public final class PrepareJob {

    private static final Logger LOG = LoggerFactory.getLogger(PrepareJob.class);

    /** When the dataset was prepared: what changes from run to run, kept out of the manifest (written before it). */
    public static final String INFO_FILE_NAME = "prepare-info.json";
    /** Directory of the quarantined records (JSON lines: file, line, reason, text). */
    public static final String REJECTED_DIR = "rejected";
    /** With a reused preparation: the statistics of the data's own training split, as a normalizer would have them. */
    public static final String OBSERVED_FILE_NAME = "observed-normalizer.json";

    private PrepareJob() {
    }

    /**
     * @param settings the resolved preparation settings, recorded in the manifest
     */
    public static DatasetManifest run(JavaSparkContext sc, PrepareConfig config, String outputDir, boolean overwrite,
                                      Map<String, Object> settings) {
        return run(sc, config, outputDir, overwrite, settings, Optional.empty());
    }

    /**
     * Prepares with {@code reuse}'s normalizer and vocabularies instead of learning them (time-series tables);
     * this data's own statistics are then written to {@link #OBSERVED_FILE_NAME}.
     */
    public static DatasetManifest run(JavaSparkContext sc, PrepareConfig config, String outputDir, boolean overwrite,
                                      Map<String, Object> settings, Optional<Preparation> reuse) {
        if (reuse.isPresent() && !DatasetKinds.of(config.kind()).reusesPreparation()) {
            throw new InputDataException("reusing a model's preparation is supported for dataset.kind = "
                    + DatasetKinds.names(DatasetKindSupport::reusesPreparation) + ", "
                    + "not " + config.kind().name().toLowerCase());
        }
        OutputDirectory output = outputRequest(config, outputDir, overwrite).claim(sc.hadoopConfiguration());
        return StagedWrite.run(sc, output, () -> prepare(sc, config, output.path(), settings, reuse));
    }

    /**
     * What {@code prepare} writes: a prepared dataset, replacing only one, and never where it would replace its
     * own input; staged beside, so a run that fails leaves nothing behind and the output it was to replace whole.
     */
    public static OutputRequest outputRequest(PrepareConfig config, String outputDir, boolean overwrite) {
        return new OutputRequest(outputDir, OutputKind.PREPARED_DATASET, overwrite, OutputRequest.Placement.STAGED,
                inputs(config));
    }

    /** The raw data a preparation reads, by the key that names it. */
    public static Map<String, String> inputs(PrepareConfig config) {
        Map<String, String> inputs = new LinkedHashMap<>();
        if (!config.input().path().isEmpty()) inputs.put("input.path", config.input().path());
        // only a ts dataset has a test path (PrepareConfig refuses it for the other kinds)
        if (config.ts().hasTestPath()) {
            inputs.put("ts.testPath", config.ts().testPath());
        }
        return inputs;
    }

    /** The preparation itself, written into {@code outputDir} with the manifest last. */
    private static DatasetManifest prepare(JavaSparkContext sc, PrepareConfig config, String outputDir,
                                           Map<String, Object> settings, Optional<Preparation> reuse) {
        Configuration hadoop = sc.hadoopConfiguration();
        InputFiles files = InputFiles.list(config.input().path(), hadoop);
        LOG.info("prepare: {} input file(s), {} bytes, kind {}", files.paths().size(), files.totalBytes(),
                config.kind());
        InputFiles testFiles = config.ts().hasTestPath()
                ? InputFiles.list("ts.testPath", config.ts().testPath(), hadoop)
                : null;
        if (testFiles != null) refuseOverlap(files, testFiles);
        config.unassignedWarning().ifPresent(warning -> LOG.warn("prepare: {}", warning));
        PreparedExamples prepared = DatasetKinds.of(config.kind()).prepare(sc, config,
                new PrepareInputs(files, Optional.ofNullable(testFiles), reuse));
        BatchShape shape = new BatchShape(prepared.featureNames().size(), prepared.outputSize(),
                prepared.task().isClassification(), config.minibatchSize(), prepared.task().perStep());
        long rejected;
        List<BatchFile> written;
        CrossSplitDuplicates.Found duplicates;
        try {
            rejected = writeRejected(prepared, outputDir);
            MinibatchWriter writer = new MinibatchWriter(shape, outputDir, new HadoopConf(hadoop), config.seed());
            SplitOverlap overlap = new SplitOverlap(config, files, testFiles);
            written = writer.write(prepared.examples(), Math.max(2, sc.defaultParallelism()), overlap::check);
            duplicates = overlap.found();
        } finally {
            prepared.release();
        }

        Map<String, SplitInfo> splits = splitInfos(written, prepared);
        requireExamples(splits, config, files);
        Map<String, Long> counts = new TreeMap<>(prepared.counts());
        counts.putAll(prepared.deferredCounts().get());
        if (config.input().quarantine()) counts.put("rejectedRecords", rejected);
        splits.forEach((name, info) -> counts.put("examples." + name, info.examples()));
        for (int i = 0; i < CrossSplitDuplicates.Found.PAIR_NAMES.size(); i++) {
            counts.put("duplicatesAcrossSplits." + CrossSplitDuplicates.Found.PAIR_NAMES.get(i),
                    duplicates.pairs()[i]);
        }
        Map<String, String> source = new TreeMap<>();
        source.put("path", files.pattern());
        source.put("files", Integer.toString(files.paths().size()));
        source.put("bytes", Long.toString(files.totalBytes()));
        source.put("fingerprint", files.fingerprint());
        if (testFiles != null) {
            source.put("testPath", testFiles.pattern());
            source.put("testFiles", Integer.toString(testFiles.paths().size()));
            source.put("testBytes", Long.toString(testFiles.totalBytes()));
            source.put("testFingerprint", testFiles.fingerprint());
        }

        DatasetManifest manifest = new DatasetManifest(DatasetManifest.FORMAT_VERSION,
                config.kind().name().toLowerCase(), prepared.task(), prepared.featureNames(), prepared.targetNames(),
                prepared.classNames(), prepared.windowSteps(), prepared.horizonSteps(), config.minibatchSize(),
                prepared.normalizer(), prepared.categories(), splits, source, counts,
                withResolved(settings, prepared.resolved()));
        PreparedOutput.writeJson(outputDir, INFO_FILE_NAME, Map.of("createdAt", Instant.now().toString()), hadoop);
        if (prepared.observedNormalizer().isPresent()) {
            PreparedOutput.writeJson(outputDir, OBSERVED_FILE_NAME, prepared.observedNormalizer().get(), hadoop);
        }
        PreparedOutput.writeJson(outputDir, DatasetManifest.FILE_NAME, manifest, hadoop);
        LOG.info("prepare: wrote {} minibatch files to {}", written.size(), outputDir);
        return manifest;
    }

    /**
     * The settings with the values the data decided in place of what was configured (the nested sections of
     * {@code settings} copied where a value changes).
     */
    static Map<String, Object> withResolved(Map<String, Object> settings, Map<String, String> resolved) {
        if (settings == null || resolved.isEmpty()) return settings;
        Map<String, Object> out = new TreeMap<>(settings);
        resolved.forEach((key, value) -> {
            int dot = key.indexOf('.');
            String section = key.substring(0, dot);
            if (out.get(section) instanceof Map<?, ?> values) {
                Map<String, Object> copy = new TreeMap<>();
                values.forEach((k, v) -> copy.put(String.valueOf(k), v));
                copy.put(key.substring(dot + 1), value);
                out.put(section, copy);
            }
        });
        return out;
    }

    /**
     * The same file under {@code input.path} and {@code ts.testPath} (two spellings of one path, or a glob that
     * matches both) would put its cases in training and test: a configuration error, found once the paths are
     * listed and before any of them is read.
     */
    private static void refuseOverlap(InputFiles files, InputFiles testFiles) {
        Set<String> both = new TreeSet<>(files.paths());
        both.retainAll(testFiles.paths());
        if (!both.isEmpty()) {
            throw new InvalidSettingsException(TsKeys.TEST_PATH.message(testFiles.pattern(), "other files than "
                    + "input.path = \"" + files.pattern() + "\" (both match " + both.iterator().next()
                    + (both.size() > 1 ? " and " + (both.size() - 1) + " more" : "")
                    + "; a case cannot be in training and test)"));
        }
    }

    /**
     * Training needs examples; validation and test need them unless their fraction is 0, which says the split is
     * not wanted. A split left empty otherwise (too little data for it, a window longer than its rows, end dates
     * that leave nothing between them) would be noticed only when its metrics are missing.
     */
    private static void requireExamples(Map<String, SplitInfo> splits, PrepareConfig config, InputFiles files) {
        if (splits.get("train").examples() == 0) {
            throw new InputDataException("no training examples were cut from " + files.pattern()
                    + "; check the window and split settings against the data");
        }
        for (int s = 1; s < MinibatchWriter.SPLIT_NAMES.size(); s++) {
            String name = MinibatchWriter.SPLIT_NAMES.get(s);
            if (splits.get(name).examples() == 0 && config.split().fractions().get(s) > 0) {
                throw new InputDataException(emptySplit(name, splits.get(name).rows(), config));
            }
        }
    }

    private static String emptySplit(String name, long rows, PrepareConfig config) {
        SplitConfig split = config.split();
        String assigned = DatasetKinds.of(config.kind()).splitContents(rows, config);
        String settings = split.byDates()
                ? "split.trainEnd = \"" + split.trainEnd() + "\", split.validationEnd = \"" + split.validationEnd()
                        + "\", split.testEnd = \"" + split.testEnd() + "\""
                : "split.fractions = " + split.fractions();
        return "the " + name + " split has no examples (" + assigned + ") with " + settings + "; change the split "
                + "settings, or set its entry in split.fractions to 0 to prepare without a " + name + " split";
    }

    /**
     * Writes the quarantined records, if any, as JSON lines under {@code rejected/}, from the executors; only
     * their number comes back.
     */
    private static long writeRejected(PreparedExamples prepared, String outputDir) {
        if (prepared.rejected().isEmpty()) return 0;
        JavaRDD<String> rejected = prepared.rejected().get();
        long count = rejected.count();
        if (count > 0) {
            String dir = new org.apache.hadoop.fs.Path(outputDir, REJECTED_DIR).toString();
            rejected.saveAsTextFile(dir);
            LOG.warn("prepare: {} malformed record(s) quarantined in {}", count, dir);
        }
        return count;
    }

    private static Map<String, SplitInfo> splitInfos(List<BatchFile> written, PreparedExamples prepared) {
        Map<String, SplitInfo> splits = new LinkedHashMap<>();
        for (int s = 0; s < MinibatchWriter.SPLIT_NAMES.size(); s++) {
            int split = s;
            List<BatchFile> batches = written.stream().filter(f -> f.split() == split).toList();
            List<String> files = batches.stream().map(BatchFile::relativePath).toList();
            long examples = batches.stream().mapToLong(BatchFile::examples).sum();
            long bytes = batches.stream().mapToLong(BatchFile::bytes).sum();
            long totalSteps = batches.stream().mapToLong(BatchFile::totalSteps).sum();
            int minSteps = batches.stream().mapToInt(BatchFile::minSteps).min().orElse(0);
            int maxSteps = batches.stream().mapToInt(BatchFile::maxSteps).max().orElse(0);
            long masked = batches.stream().filter(BatchFile::masked).count();
            PreparedExamples.SplitRows rows = prepared.splitRows().get(split);
            splits.put(MinibatchWriter.SPLIT_NAMES.get(s), new SplitInfo(examples, files.size(), bytes, files,
                    rows == null ? 0 : rows.rows(), rows == null ? "" : rows.firstTime(),
                    rows == null ? "" : rows.lastTime(), minSteps, maxSteps,
                    examples == 0 ? 0 : (double) totalSteps / examples, masked));
        }
        return splits;
    }

    /** Reads a prepared dataset's manifest; a directory without one is not a (complete) dataset. */
    public static DatasetManifest readManifest(String datasetDir, Configuration conf) {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(datasetDir, DatasetManifest.FILE_NAME);
        try (java.io.InputStream in = path.getFileSystem(conf).open(path)) {
            return Json.mapper().readValue(in, DatasetManifest.class);
        } catch (java.io.FileNotFoundException e) {
            throw new InputDataException(datasetDir + " has no " + DatasetManifest.FILE_NAME
                    + ": it is not a prepared dataset, or its preparation did not finish");
        } catch (java.io.IOException e) {
            throw new InputDataException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** The data's own statistics written by a preparation that reused a stored one, if it did. */
    public static Optional<Standardizer> readObserved(String datasetDir, Configuration conf) {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(datasetDir, OBSERVED_FILE_NAME);
        try {
            org.apache.hadoop.fs.FileSystem fs = path.getFileSystem(conf);
            if (!fs.exists(path)) return Optional.empty();
            try (java.io.InputStream in = fs.open(path)) {
                return Optional.of(Json.mapper().readValue(in, Standardizer.class));
            }
        } catch (java.io.IOException e) {
            throw new InputDataException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}
