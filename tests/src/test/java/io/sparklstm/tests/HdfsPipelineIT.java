package io.sparklstm.tests;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparklstm.jobs.cli.Main;
import io.sparklstm.jobs.train.HadoopBundleStore;
import io.sparklstm.model.Json;
import io.sparklstm.model.bundle.ModelBundle;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * prepare -> train -> evaluate, and a resumed run, with every input and output on HDFS: a MiniDFSCluster on
 * the loopback interface, and the jobs through the command line with a local Spark. Each command is given
 * {@code hdfs://} paths only; what it writes is checked through the Hadoop FileSystem API.
 */
class HdfsPipelineIT {

    /** A name no local directory has, so that anything written to local disk by mistake would show. */
    private static final String ROOT_NAME = "hdfs-pipeline-it-" + UUID.randomUUID();

    @TempDir
    static java.nio.file.Path local;

    private static MiniDFSCluster cluster;
    private static FileSystem hdfs;
    private static Path root;
    private static Path data;
    private static Path run;

    @BeforeAll
    static void startHdfsPrepareAndTrain() throws IOException {
        Configuration conf = new Configuration();
        conf.set("dfs.namenode.http-address", "127.0.0.1:0");
        conf.set("dfs.datanode.address", "127.0.0.1:0");
        conf.set("dfs.datanode.http.address", "127.0.0.1:0");
        conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
        cluster = new MiniDFSCluster.Builder(conf, local.resolve("dfs").toFile()).numDataNodes(1).build();
        cluster.waitActive();
        hdfs = cluster.getFileSystem();
        root = hdfs.makeQualified(new Path("/" + ROOT_NAME));
        assertEquals("hdfs", root.toUri().getScheme());

        Path raw = new Path(root, "raw/synthetic_control.data");
        hdfs.copyFromLocalFile(new Path(Repo.data("synthetic_control/synthetic_control.data").toUri()), raw);
        data = new Path(root, "data");
        run = new Path(root, "run");
        execute("prepare", "--set", "input.path=" + raw, "--output", data.toString());
        execute("train", "--set", "training.epochs=2", "--data", data.toString(), "--output", run.toString());
    }

    @AfterAll
    static void stopHdfs() {
        if (cluster != null) {
            cluster.shutdown(true);
        }
    }

    /** Runs a command with a tiny model on the synthetic control data; fails with its error output. */
    private static void execute(String command, String... rest) {
        List<String> args = new ArrayList<>(List.of("--conf", Repo.conf("datasets/synthetic-control.conf").toString(),
                // a small network and few, larger minibatch files: two averaging rounds per epoch
                "--set", "model.layers=[16]", "--set", "prepare.minibatchSize=50",
                // one datanode: ask for one replica, not the three a real cluster would keep
                "--set", "spark.conf.\"spark.hadoop.dfs.replication\"=1"));
        args.addAll(Arrays.asList(rest));
        if (command.equals("train") && args.contains("--resume")) {
            args.subList(0, 2).clear(); // --resume reads the configuration saved in the run
        }
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(err, true), Repo.args(command, args.toArray(String[]::new)));
        assertEquals(0, code, command + " failed: " + err);
    }

    @Test
    void preparedDatasetAndTrainingRunAreWrittenToHdfsAndNothingToLocalDisk() throws IOException {
        assertTrue(hdfs.isFile(new Path(data, "manifest.json")));
        JsonNode manifest = json(new Path(data, "manifest.json"));
        assertEquals(600, manifest.at("/splits/train/examples").asInt() + manifest.at("/splits/validation/examples").asInt()
                + manifest.at("/splits/test/examples").asInt());
        for (JsonNode file : manifest.at("/splits/train/files")) {
            assertTrue(hdfs.getFileStatus(new Path(data, file.asText())).getLen() > 0, file.asText());
        }
        assertTrue(manifest.at("/source/path").asText().startsWith("hdfs://"), manifest.at("/source").toString());

        for (String file : List.of("config.conf", "metrics.jsonl", "summary.json", "report.html", "training-stats.html",
                "model/bundle.json", "model/network.zip", "checkpoints/epoch-0002/network.zip",
                "checkpoints/epoch-0002/bundle.json", "checkpoints/best/bundle.json")) {
            assertTrue(hdfs.isFile(new Path(run, file)), file + " is not on HDFS");
        }
        assertFalse(hdfs.exists(new Path(run, "checkpoints/epoch-0001")), "only the newest epoch checkpoint stays");
        assertEquals(List.of(), temporaryFiles(root), "temporary files left behind");
        assertTrue(text(new Path(run, "report.html")).contains("Final metrics"));

        List<JsonNode> epochs = epochs(run);
        assertEquals(2, epochs.size());
        for (JsonNode epoch : epochs) {
            assertTrue(epoch.get("trainLoss").asDouble() > 0 && Double.isFinite(epoch.get("trainLoss").asDouble()));
            assertEquals(manifest.at("/splits/train/examples").asLong(), epoch.get("trainExamples").asLong());
        }
        JsonNode summary = json(new Path(run, "summary.json"));
        for (String split : List.of("train", "validation", "test")) {
            double accuracy = summary.at("/" + split + "/accuracy").asDouble(-1);
            assertTrue(accuracy >= 0 && accuracy <= 1, split + ": " + summary.get(split));
            assertTrue(Double.isFinite(summary.at("/" + split + "/loss").asDouble(Double.NaN)), split);
        }
        assertEquals(data.toString(), summary.at("/training/data").asText());

        assertFalse(Files.exists(Paths.get("/" + ROOT_NAME)), "written to the local root");
        assertFalse(Files.exists(Paths.get("hdfs:")), "written to a local directory named hdfs:");
        assertFalse(Files.exists(Repo.root().resolve("hdfs:")), "written to a local directory named hdfs:");
    }

    @Test
    void prepareOverwriteReplacesTheDatasetOnHdfsInOnePieceAndLeavesNothingBeside() throws IOException {
        Path again = new Path(root, "again");
        Path raw = new Path(root, "raw/synthetic_control.data");
        execute("prepare", "--set", "input.path=" + raw, "--output", again.toString());
        String first = json(new Path(again, "prepare-info.json")).get("createdAt").asText();
        execute("prepare", "--set", "input.path=" + raw, "--output", again.toString(), "--overwrite");
        // renamed into place, not into the old directory (an HDFS rename onto a directory moves it inside)
        assertTrue(hdfs.isFile(new Path(again, "manifest.json")));
        assertFalse(json(new Path(again, "prepare-info.json")).get("createdAt").asText().equals(first), "replaced");
        for (FileStatus status : hdfs.listStatus(again)) {
            assertFalse(status.isDirectory() && status.getPath().getName().startsWith("."), status.getPath().toString());
        }
        assertTrue(json(new Path(again, "_spark-lstm-output.json")).get("complete").asBoolean());
        for (FileStatus status : hdfs.listStatus(root)) {
            assertFalse(status.getPath().getName().startsWith(".again."), "left beside: " + status.getPath());
        }
    }

    @Test
    void evaluateReadsTheModelFromHdfsAndScoresItAsTrainingDid() throws IOException {
        Path evaluation = new Path(root, "evaluation/metrics.json");
        execute("evaluate", "--model", run.toString(), "--data", data.toString(), "--split", "test,validation",
                "--output", evaluation.toString());
        JsonNode scored = json(evaluation);
        JsonNode summary = json(new Path(run, "summary.json"));
        for (String split : List.of("test", "validation")) {
            assertEquals(summary.at("/" + split + "/accuracy").asDouble(), scored.at("/" + split + "/accuracy").asDouble(),
                    1e-9, split);
            assertEquals(summary.at("/" + split + "/loss").asDouble(), scored.at("/" + split + "/loss").asDouble(),
                    1e-6, split);
        }

        ModelBundle bundle = ModelBundle.readFrom(new HadoopBundleStore(new Path(run, "model"), hdfs.getConf()));
        assertEquals(summary.at("/test/accuracy").asDouble(),
                ((Number) bundle.info().metrics().get("test").get("accuracy")).doubleValue(), 1e-9);
    }

    @Test
    void predictReadsRawLinesAndTheModelFromHdfsAndWritesItsPredictionsThere() throws IOException {
        Path scored = new Path(root, "scored");
        execute("predict", "--model", run.toString(), "--input", new Path(root, "raw").toString(),
                "--output", scored.toString(), "--format", "parquet,csv");
        JsonNode summary = json(new Path(scored, "predict-summary.json"));
        assertEquals(600, summary.get("casesScored").asInt());
        assertEquals(600, summary.get("labelledCases").asInt());
        double accuracy = summary.get("accuracy").asDouble();
        assertTrue(accuracy > 0 && accuracy <= 1, summary.toString());
        for (String dir : List.of("predictions.parquet", "predictions.csv")) {
            assertTrue(hdfs.isFile(new Path(scored, dir + "/_SUCCESS")), dir);
            assertTrue(summary.at("/outputs/" + dir.substring(12)).asText().startsWith("hdfs://"), summary.toString());
        }
        assertEquals(List.of(), temporaryFiles(scored), "temporary files left behind");
    }

    @Test
    void aRunInterruptedBeforeItsModelResumesFromItsHdfsCheckpoint() throws IOException {
        Path resumed = new Path(root, "resumed");
        assertTrue(FileUtil.copy(hdfs, run, hdfs, resumed, false, hdfs.getConf()));
        // as if the driver died after the second epoch's checkpoint, before the model and summary were written
        assertTrue(hdfs.delete(new Path(resumed, "model"), true));
        assertTrue(hdfs.delete(new Path(resumed, "summary.json"), false));
        List<JsonNode> before = epochs(resumed);

        execute("train", "--resume", resumed.toString(), "--set", "training.epochs=3");

        List<JsonNode> epochs = epochs(resumed);
        assertEquals(3, epochs.size());
        assertEquals(before, epochs.subList(0, 2), "the completed epochs' records are kept as they were");
        assertEquals(3, epochs.get(2).get("epoch").asInt());
        assertTrue(Double.isFinite(epochs.get(2).get("trainLoss").asDouble()));
        JsonNode summary = json(new Path(resumed, "summary.json"));
        assertEquals(2, summary.at("/training/resumedAfterEpoch").asInt());
        assertEquals(3, summary.at("/training/epochs").asInt());
        assertTrue(hdfs.isFile(new Path(resumed, "model/bundle.json")));
        assertTrue(hdfs.isFile(new Path(resumed, "checkpoints/epoch-0003/bundle.json")));
        assertFalse(hdfs.exists(new Path(resumed, "checkpoints/epoch-0002")));
        assertEquals(List.of(), temporaryFiles(resumed), "temporary files left behind");
    }

    private static List<JsonNode> epochs(Path runDir) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : text(new Path(runDir, "metrics.jsonl")).split("\n")) {
            out.add(Json.mapper().readTree(line));
        }
        return out;
    }

    private static JsonNode json(Path file) throws IOException {
        try (InputStream in = hdfs.open(file)) {
            return Json.mapper().readTree(in);
        }
    }

    private static String text(Path file) throws IOException {
        try (InputStream in = hdfs.open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Names ending in {@code .tmp} anywhere under {@code dir}. */
    private static List<String> temporaryFiles(Path dir) throws IOException {
        List<String> found = new ArrayList<>();
        for (FileStatus status : hdfs.listStatus(dir)) {
            if (status.getPath().getName().endsWith(".tmp")) {
                found.add(status.getPath().toString());
            }
            if (status.isDirectory()) {
                found.addAll(temporaryFiles(status.getPath()));
            }
        }
        return found;
    }
}
