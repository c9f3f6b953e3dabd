package io.sparklstm.jobs.train;

import io.sparklstm.jobs.config.TrainingConfig;
import io.sparklstm.model.data.DatasetManifest;
import io.sparklstm.prep.io.InputDataException;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.ArrayList;
import java.util.List;

/** The dataset of a run, its training files with the examples each holds, and how the epochs hand them out. */
record TrainingData(DatasetManifest manifest, List<AveragingRounds.MinibatchFile> trainFiles,
                    AveragingRounds rounds) {

    /**
     * The averaging rounds are checked against the configuration first (exit 2 before any Spark job); then every
     * training and validation file is read once, and the training files' examples must add up to the manifest's.
     */
    static TrainingData checked(JavaSparkContext sc, TrainingConfig tc, DatasetManifest manifest, String dataDir) {
        AveragingRounds rounds = AveragingRounds.of(tc, manifest.minibatchSize(), TrainingRun.workers(tc, sc));
        if (manifest.split("train").batches() == 0) {
            throw new InputDataException(dataDir + ": the training split has no minibatch files");
        }
        List<String> trainPaths = TrainJob.absolute(dataDir, manifest.split("train").files());
        List<Integer> examples = MinibatchCheck.check(sc, manifest, trainPaths);
        MinibatchCheck.check(sc, manifest, TrainJob.absolute(dataDir, manifest.split("validation").files()));
        List<AveragingRounds.MinibatchFile> trainFiles = new ArrayList<>(trainPaths.size());
        long total = 0;
        for (int i = 0; i < trainPaths.size(); i++) {
            trainFiles.add(new AveragingRounds.MinibatchFile(trainPaths.get(i), examples.get(i)));
            total += examples.get(i);
        }
        if (total != manifest.split("train").examples()) {
            throw new InputDataException(dataDir + ": the training split's minibatch files hold " + total
                    + " examples, its " + DatasetManifest.FILE_NAME + " says " + manifest.split("train").examples()
                    + "; prepare the dataset again");
        }
        return new TrainingData(manifest, List.copyOf(trainFiles), rounds);
    }
}
