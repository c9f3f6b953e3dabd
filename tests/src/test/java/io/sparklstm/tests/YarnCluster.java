package io.sparklstm.tests;

import io.sparklstm.jobs.BuildInfo;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.hadoop.yarn.server.resourcemanager.rmapp.RMApp;
import org.apache.hadoop.yarn.server.resourcemanager.rmapp.RMAppState;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real YARN cluster in this JVM: a MiniYARNCluster (ResourceManager and one NodeManager, from
 * hadoop-client-minicluster at Spark's Hadoop version) on the local filesystem, its client configuration written into
 * a HADOOP_CONF_DIR, and a SPARK_HOME assembled like standalone-cluster's (Spark's distribution jars from the local
 * Maven repository) plus the spark-yarn jar of the test classpath, which only the Spark 3.5 line has. Containers are
 * processes the NodeManager starts (bash, then java): descendants of this JVM.
 */
final class YarnCluster implements AutoCloseable {

    /** The NodeManager's memory: an AM and two executors of the tests' sizes, with room for a replacement. */
    static final int NODE_MEMORY_MB = 7168;
    private static final Pattern CONTAINER_LOG_DIR = Pattern.compile("-Dspark\\.yarn\\.app\\.container\\.log\\.dir=(\\S+)");

    final MiniYARNCluster yarn;
    final Path confDir;
    final Path sparkHome;

    private YarnCluster(MiniYARNCluster yarn, Path confDir, Path sparkHome) {
        this.yarn = yarn;
        this.confDir = confDir;
        this.sparkHome = sparkHome;
    }

    /**
     * Starts the cluster and writes its client configuration; the memory check stays on (a container that outgrows
     * its size is killed, as on a real cluster), the virtual-memory check is off (a JVM reserves far more address
     * space than it uses, so real clusters turn it off too).
     */
    static YarnCluster start(Path dir) throws IOException, InterruptedException {
        Path sparkHome = assembleSparkHome(dir.resolve("spark-home"));
        YarnConfiguration conf = new YarnConfiguration();
        conf.set("fs.defaultFS", "file:///");
        // MiniYARNCluster sizes its nodes by its own key (4 GB by default: one executor short), and turns both
        // memory checks off unless told to leave them as configured
        conf.setInt(YarnConfiguration.YARN_MINICLUSTER_NM_PMEM_MB, NODE_MEMORY_MB);
        conf.setBoolean(YarnConfiguration.YARN_MINICLUSTER_CONTROL_RESOURCE_MONITORING, true);
        conf.setInt(YarnConfiguration.NM_PMEM_MB, NODE_MEMORY_MB);
        conf.setInt(YarnConfiguration.NM_VCORES, 4);
        conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, true);
        conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 256);
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB, NODE_MEMORY_MB);
        // the capacity scheduler, as on most clusters, with the one queue its capacity-scheduler.xml would define;
        // an AM may take half of it (the default, a tenth, is less than one AM of the tests' size)
        conf.set("yarn.scheduler.capacity.root.queues", "default");
        conf.setInt("yarn.scheduler.capacity.root.default.capacity", 100);
        conf.setFloat("yarn.scheduler.capacity.maximum-am-resource-percent", 0.5f);
        // containers find java through JAVA_HOME, which the build's environment may not set
        conf.set(YarnConfiguration.NM_ADMIN_USER_ENV, "JAVA_HOME=" + System.getProperty("java.home"));
        // a shared, busy disk must not mark the only node unhealthy
        conf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 99.9f);
        // logs stay in the node's log directories, where the tests read them
        conf.setBoolean(YarnConfiguration.LOG_AGGREGATION_ENABLED, false);

        MiniYARNCluster yarn = new MiniYARNCluster("YarnClusterIT", 1, 1, 1);
        yarn.init(conf);
        yarn.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (yarn.getConfig().get(YarnConfiguration.RM_ADDRESS, "").endsWith(":0")) {
            if (System.nanoTime() > deadline) {
                yarn.stop();
                throw new IllegalStateException("the ResourceManager got no port within 60 s");
            }
            Thread.sleep(100);
        }
        // the node must have registered its memory before anything is submitted
        while (yarn.getResourceManager().getResourceScheduler().getClusterResource().getMemorySize() == 0) {
            if (System.nanoTime() > deadline) {
                yarn.stop();
                throw new IllegalStateException("no NodeManager registered within 60 s");
            }
            Thread.sleep(100);
        }
        System.out.printf("MiniYARNCluster: resources %s, ResourceManager at %s%n",
                yarn.getResourceManager().getResourceScheduler().getClusterResource(),
                yarn.getConfig().get(YarnConfiguration.RM_ADDRESS));
        Path confDir = Files.createDirectories(dir.resolve("hadoop-conf"));
        writeXml(yarn.getConfig(), confDir.resolve("yarn-site.xml"));
        Configuration core = new Configuration(false);
        core.set("fs.defaultFS", "file:///");
        writeXml(core, confDir.resolve("core-site.xml"));
        return new YarnCluster(yarn, confDir, sparkHome);
    }

    private static void writeXml(Configuration conf, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            conf.writeXml(out);
        }
    }

    /**
     * Spark as its binary distribution built with YARN support ships it: the jars standalone-cluster links
     * (submit-scripts/lib/spark-distribution.xml, resolved by Maven at the build's versions), spark-yarn, a RELEASE
     * file and the bin/spark-submit the launcher calls.
     */
    private static Path assembleSparkHome(Path home) throws IOException, InterruptedException {
        Path jars = Files.createDirectories(home.resolve("jars"));
        Path classpathFile = home.resolve("spark-distribution.classpath");
        resolveDistribution(classpathFile);
        List<String> entries = new ArrayList<>(List.of(Files.readString(classpathFile).strip().split(File.pathSeparator)));
        entries.add(sparkYarnJar().toString());
        for (String entry : entries) {
            Path jar = Paths.get(entry);
            Path link = jars.resolve(jar.getFileName().toString());
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, jar);
        }
        Files.writeString(home.resolve("RELEASE"), "Spark " + BuildInfo.sparkVersion()
                + " assembled by spark-lstm's YarnCluster from Maven Central jars, with spark-yarn\n");
        Path submit = Files.createDirectories(home.resolve("bin")).resolve("spark-submit");
        Files.copy(Repo.root().resolve("submit-scripts/lib/spark-submit"), submit, StandardCopyOption.REPLACE_EXISTING);
        if (!submit.toFile().setExecutable(true)) throw new IOException("cannot make " + submit + " executable");
        return home;
    }

    private static void resolveDistribution(Path classpathFile) throws IOException, InterruptedException {
        String scala = BuildInfo.scalaVersion();
        List<String> goal = List.of("-B", "-q", "-f", Repo.root().resolve("submit-scripts/lib/spark-distribution.xml").toString(),
                "-Dspark.version=" + BuildInfo.sparkVersion(), "-Dscala.version=" + scala,
                "-Dscala.binary.version=" + scala.substring(0, scala.lastIndexOf('.')),
                "-Dhadoop.version=" + BuildInfo.hadoopVersion(),
                "dependency:build-classpath", "-DincludeScope=runtime", "-Dmdep.outputFile=" + classpathFile);
        String offline = maven(true, goal);
        if (Files.isRegularFile(classpathFile)) return;
        String online = maven(false, goal);
        if (!Files.isRegularFile(classpathFile)) {
            throw new IllegalStateException("could not resolve Spark's jars:\n" + offline + "\n" + online);
        }
    }

    private static String maven(boolean offline, List<String> goal) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("mvn"));
        if (offline) command.add("-o");
        command.addAll(goal);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("mvn did not finish in 300 s: " + command);
        }
        return output;
    }

    /** The spark-yarn jar on this JVM's classpath (tests/pom.xml adds it under -Pspark-3.5). */
    private static Path sparkYarnJar() {
        return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> Paths.get(e).getFileName().toString().startsWith("spark-yarn_"))
                .map(Paths::get).findFirst()
                .orElseThrow(() -> new IllegalStateException("no spark-yarn jar on the test classpath: YARN is "
                        + "tested on the Spark 3.5 line only (mvn -Pspark-3.5), see tests/pom.xml"));
    }

    /** The application's state in the ResourceManager. */
    RMApp app(String applicationId) {
        RMApp app = yarn.getResourceManager().getRMContext().getRMApps().get(ApplicationId.fromString(applicationId));
        if (app == null) throw new AssertionError("the ResourceManager has no application " + applicationId);
        return app;
    }

    /** Waits until the application has ended in the ResourceManager (the client may exit a moment before). */
    RMApp awaitEnded(String applicationId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        RMApp app = app(applicationId);
        while (!List.of(RMAppState.FINISHED, RMAppState.FAILED, RMAppState.KILLED).contains(app.getState())
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        return app;
    }

    static boolean succeeded(RMApp app) {
        return app.getState() == RMAppState.FINISHED && app.getFinalApplicationStatus() == FinalApplicationStatus.SUCCEEDED;
    }

    /**
     * Executor JVMs running now: container processes (descendants of this JVM) of Spark's YARN executor backend; the
     * java process itself, not the bash of the container's launch script, whose command line names the class too.
     */
    List<ProcessHandle> executors() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().orElse("").endsWith("/java"))
                .filter(p -> p.info().commandLine().orElse("").contains("YarnCoarseGrainedExecutorBackend"))
                .toList();
    }

    /** The container log directory of a container process, from the property Spark gives every container JVM. */
    static Optional<Path> containerLogDir(ProcessHandle process) {
        Matcher m = CONTAINER_LOG_DIR.matcher(process.info().commandLine().orElse(""));
        return m.find() ? Optional.of(Paths.get(m.group(1))) : Optional.empty();
    }

    /** The container log directories of an application on the node: one per container, AM included. */
    List<Path> containerLogDirs(String applicationId) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String logDir : yarn.getNodeManager(0).getConfig().getTrimmedStrings(YarnConfiguration.NM_LOG_DIRS)) {
            Path app = Paths.get(logDir.replaceFirst("^file:", "")).resolve(applicationId);
            if (Files.isDirectory(app)) {
                try (Stream<Path> containers = Files.list(app)) {
                    containers.filter(Files::isDirectory).sorted().forEach(out::add);
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        List<ProcessHandle> containers = ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("container_")).toList();
        yarn.stop();
        // whatever the NodeManager left running (it kills its containers on stop, but a hung one must not outlive us)
        containers.forEach(ProcessHandle::destroyForcibly);
    }
}
