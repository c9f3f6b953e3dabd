package io.sparklstm.jobs.doctor;

import io.sparklstm.jobs.BuildInfo;
import scala.util.Properties;

import java.io.Serializable;
import java.util.Objects;

/**
 * The Spark and Scala versions one JVM runs, or those the job jar was built for. A job jar runs where the Spark
 * line (major.minor, e.g. 4.1) and the Scala binary version (2.12 or 2.13) are the ones it was built for; another
 * patch release of the same line keeps the binary interfaces. A jar built for Spark 3.5 / Scala 2.12 fails on
 * Spark 4 / Scala 2.13 (and the other way round) only when a class or method that changed is first used, often
 * deep inside a task, so {@code doctor} checks this before any job does.
 *
 * @param spark the Spark version, e.g. {@code 4.1.3}
 * @param scala the Scala library version, e.g. {@code 2.13.17}
 */
public record SparkLine(String spark, String scala) implements Serializable {

    public SparkLine {
        Objects.requireNonNull(spark, "spark");
        Objects.requireNonNull(scala, "scala");
    }

    /** What the job jar was built for (the build's spark.version and scala.version). */
    public static SparkLine builtFor() {
        return new SparkLine(BuildInfo.sparkVersion(), BuildInfo.scalaVersion());
    }

    /** What this JVM runs: the Spark and Scala libraries on its classpath. */
    public static SparkLine here() {
        return new SparkLine(org.apache.spark.package$.MODULE$.SPARK_VERSION(),
                Properties.versionNumberString());
    }

    /** The same Spark major.minor and the same Scala binary version: a jar built for one runs on the other. */
    public boolean compatibleWith(SparkLine other) {
        return majorMinor(spark).equals(majorMinor(other.spark)) && majorMinor(scala).equals(majorMinor(other.scala));
    }

    /** {@code 4.1.3} to {@code 4.1}, {@code 2.13.17} to {@code 2.13}; a version without a second dot stays whole. */
    static String majorMinor(String version) {
        int first = version.indexOf('.');
        int second = first < 0 ? -1 : version.indexOf('.', first + 1);
        return second < 0 ? version : version.substring(0, second);
    }

    /** e.g. {@code Spark 4.1.3, Scala 2.13.17}. */
    public String label() {
        return "Spark " + spark + ", Scala " + scala;
    }
}
