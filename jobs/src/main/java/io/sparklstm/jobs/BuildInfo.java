package io.sparklstm.jobs;

import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** Versions of this build and of the libraries it runs with, for provenance and {@code --version}. */
public final class BuildInfo {

    private static final Properties PROPERTIES = load();

    private BuildInfo() {
    }

    public static String version() {
        return PROPERTIES.getProperty("version", "unknown");
    }

    /** Version of the Chart.js webjar that reports inline. */
    public static String chartJsVersion() {
        return PROPERTIES.getProperty("chartjs", "unknown");
    }

    /** The Deeplearning4j and ND4J version this build was made with. */
    public static String dl4jVersion() {
        return PROPERTIES.getProperty("dl4j", "unknown");
    }

    public static String dl4jSparkVersion() {
        return PROPERTIES.getProperty("dl4jSpark", "unknown");
    }

    /** The Spark version the job jar was built against (Spark 4.x by default, 3.5.x with -Pspark-3.5). */
    public static String sparkVersion() {
        return PROPERTIES.getProperty("spark", "unknown");
    }

    /** The Scala library version the job jar was built against: the one of its Spark line. */
    public static String scalaVersion() {
        return PROPERTIES.getProperty("scala", "unknown");
    }

    /** The Hadoop client version of the Spark line the job jar was built against. */
    public static String hadoopVersion() {
        return PROPERTIES.getProperty("hadoop", "unknown");
    }

    public static Map<String, String> libraries(String sparkVersion) {
        Map<String, String> out = new TreeMap<>();
        out.put("spark-lstm", version());
        out.put("deeplearning4j", dl4jVersion());
        out.put("dl4j-spark", dl4jSparkVersion());
        out.put("spark", sparkVersion);
        out.put("scala", scala.util.Properties.versionNumberString());
        out.put("java", System.getProperty("java.version"));
        out.put("nd4j-backend", Nd4j.getBackend().getClass().getSimpleName());
        return out;
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            // the versions are informational; an unreadable file leaves them "unknown"
        }
        return p;
    }
}
