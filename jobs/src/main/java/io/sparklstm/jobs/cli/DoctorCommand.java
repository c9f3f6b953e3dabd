package io.sparklstm.jobs.cli;

import io.sparklstm.jobs.BuildInfo;
import io.sparklstm.jobs.config.JobConfig;
import io.sparklstm.jobs.config.SparkSettings;
import io.sparklstm.jobs.doctor.DoctorReport;
import io.sparklstm.jobs.doctor.ExecutorProbes;
import io.sparklstm.jobs.doctor.Nd4jProbe;
import io.sparklstm.jobs.doctor.SparkLine;
import io.sparklstm.jobs.spark.SparkSessions;
import io.sparklstm.model.Json;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code doctor}: what the driver runs on, and with {@code --master} (or under spark-submit) what every
 * executor runs on, checked against the driver and against the Spark line the job jar was built for. Exits 1
 * when ND4J fails to load somewhere, an executor loads another backend than the driver, or a JVM runs another
 * Spark line or Scala binary version than the job jar was built for.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check what this job runs on: ND4J backend (CPU nd4j-native or CUDA), devices and memory, "
                + "BLAS, threads, native memory limits, Java, Spark and DL4J versions, the job jar.",
                "With --master URL (or under spark-submit) also one small task per executor, reporting each "
                        + "executor's host, PID, Spark and Scala versions, ND4J backend, BLAS and threads; fails "
                        + "(exit 1) when an executor cannot load ND4J or loads another backend than the driver, "
                        + "or when the driver or an executor runs another Spark line (e.g. 3.5 for 4.1) or Scala "
                        + "binary version than the job jar was built for."})
final class DoctorCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Option(names = "--executor-wait", paramLabel = "SECONDS", defaultValue = "30",
            description = "On a cluster, how long to wait for executors to register (default: ${DEFAULT-VALUE}).")
    int executorWaitSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        JobConfig config = common.load();
        Nd4jProbe driver = Nd4jProbe.here();
        DoctorReport report = checksExecutors() ? withExecutors(config, driver)
                : DoctorReport.driverOnly(versions(driver), SparkLine.builtFor(), driver);
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? Json.mapper().writeValueAsString(report) + "\n" : report.text());
        out.flush();
        if (!report.ok()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("spark-lstm doctor: " + report.problems().size() + " problem(s); the first: "
                    + report.problems().get(0));
            err.flush();
            return ExitCodes.FAILURE;
        }
        return ExitCodes.OK;
    }

    /** With {@code --master}, or under spark-submit, which passes the master as a system property. */
    private boolean checksExecutors() {
        return common.master != null || System.getProperty("spark.master") != null;
    }

    private DoctorReport withExecutors(JobConfig config, Nd4jProbe driver) throws InterruptedException {
        JavaSparkContext sc = SparkSessions.start(javaSerialized(config.spark()), common.master);
        try {
            List<Nd4jProbe> executors;
            try {
                executors = ExecutorProbes.probe(sc, Duration.ofSeconds(executorWaitSeconds));
            } catch (Exception e) { // Scala does not declare the SparkException a failed job throws
                if (!(e instanceof SparkException)) throw e;
                throw new IllegalStateException("the probe tasks failed on the executors of " + sc.master()
                        + ", so the job jar or ND4J does not load there; the executors' logs say why. Spark: "
                        + e.getMessage(), e);
            }
            return DoctorReport.of(versions(driver), SparkLine.builtFor(), driver, sc.master(),
                    ExecutorProbes.registeredExecutors(sc), executors);
        } finally {
            sc.stop();
        }
    }

    /**
     * The job's Spark settings with Java serialization: the jobs' Kryo registrator loads ND4J as an executor
     * starts, and where ND4J cannot load that fails before a probe could say why.
     */
    private static SparkSettings javaSerialized(SparkSettings settings) {
        Map<String, String> conf = new LinkedHashMap<>(settings.conf());
        conf.put("spark.serializer", "org.apache.spark.serializer.JavaSerializer");
        return new SparkSettings(settings.master(), settings.appName(), conf);
    }

    private static Map<String, String> versions(Nd4jProbe driver) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("spark-lstm", BuildInfo.version());
        v.put("job jar", jobJar());
        v.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.vm.name") + ")");
        v.put("spark", driver.sparkVersion());
        v.put("scala", driver.scalaVersion());
        v.put("deeplearning4j", BuildInfo.dl4jVersion() + " (ND4J the same; dl4j-spark " + BuildInfo.dl4jSparkVersion()
                + ")");
        v.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + ", "
                + System.getProperty("os.arch"));
        return v;
    }

    /** Where this command's classes come from: the shaded job jar, or a build's classes directory. */
    private static String jobJar() {
        CodeSource source = DoctorCommand.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) return "unknown";
        try {
            return Paths.get(source.getLocation().toURI()).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return source.getLocation().toString();
        }
    }
}
