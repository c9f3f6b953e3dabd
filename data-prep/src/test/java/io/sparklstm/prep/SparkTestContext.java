package io.sparklstm.prep;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.nio.file.Path;
import java.nio.file.Paths;

/** A small local Spark for integration tests: two threads, no UI, fail fast. */
public final class SparkTestContext {

    private SparkTestContext() {
    }

    public static JavaSparkContext start() {
        SparkConf conf = new SparkConf()
                .setMaster("local[2]")
                .setAppName("spark-lstm-test")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.stage.maxConsecutiveAttempts", "1")
                .set("spark.sql.shuffle.partitions", "2");
        return new JavaSparkContext(conf);
    }

    /** The repository root (set by the build), for the real data shipped under tests/data. */
    public static Path repoRoot() {
        String root = System.getProperty("sparklstm.repo.root");
        return root == null ? Paths.get("..").toAbsolutePath().normalize() : Paths.get(root);
    }

    public static Path shippedData(String relative) {
        return repoRoot().resolve("tests/data").resolve(relative);
    }
}
