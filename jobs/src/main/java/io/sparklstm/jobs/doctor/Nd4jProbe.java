package io.sparklstm.jobs.doctor;

import io.sparklstm.jobs.spark.Causes;
import org.apache.spark.SparkEnv;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.factory.Nd4j;

import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * What one JVM (the driver or an executor) runs on, measured there: Java, Spark and Scala, and ND4J. When ND4J cannot load (no
 * backend on the classpath, native libraries missing for the platform, no GPU for the CUDA backend),
 * {@link #error()} says why and the ND4J fields are empty.
 *
 * @param executorId      Spark's id of the JVM ({@code driver} for the driver and in local mode)
 * @param sparkVersion    the Spark version on the JVM's classpath
 * @param scalaVersion    the Scala library version on the JVM's classpath
 * @param backend         {@code CPU} or {@code CUDA}, as ND4J reports it
 * @param backendArtifact the Maven artifact the backend comes from: {@code nd4j-native} or {@code nd4j-cuda}
 * @param backendClass    the {@code Nd4jBackend} class that loaded
 * @param blasVendor      OPENBLAS, MKL, CUBLAS or UNKNOWN
 * @param ompThreads      OpenMP threads of ND4J's native ops
 * @param blasThreads     threads of the BLAS library
 * @param ompNumThreads   the {@code OMP_NUM_THREADS} environment variable, empty when unset
 * @param javacppMaxBytes          {@code org.bytedeco.javacpp.maxbytes}: off-heap memory ND4J may allocate
 * @param javacppMaxPhysicalBytes  {@code org.bytedeco.javacpp.maxphysicalbytes}: the process's resident limit
 * @param javacppPhysicalBytes     the process's resident memory now
 * @param error           why ND4J did not load, empty when it did
 */
public record Nd4jProbe(String executorId, String host, long pid, String javaVersion, String sparkVersion,
                        String scalaVersion, int cores,
                        String backend, String backendArtifact, String backendClass, List<Device> devices,
                        String blasVendor, int nd4jMaxThreads, int ompThreads, int blasThreads, String ompNumThreads,
                        long javacppMaxBytes, long javacppMaxPhysicalBytes, long javacppPhysicalBytes,
                        String error) implements Serializable {

    public boolean loaded() {
        return error.isEmpty();
    }

    /** The Spark and Scala versions this JVM runs. */
    public SparkLine sparkLine() {
        return new SparkLine(sparkVersion, scalaVersion);
    }

    /** The backend as a person reads it, e.g. {@code CPU (nd4j-native)}. */
    public String backendLabel() {
        return loaded() ? backend + " (" + backendArtifact + ")" : "not loaded";
    }

    /** Probes this JVM; never throws for a failure of ND4J to load, it is the result. */
    public static Nd4jProbe here() {
        String executorId = Optional.ofNullable(SparkEnv.get()).map(SparkEnv::executorId).orElse("driver");
        String ompNumThreads = Optional.ofNullable(System.getenv("OMP_NUM_THREADS")).orElse("");
        int cores = Runtime.getRuntime().availableProcessors();
        long pid = ProcessHandle.current().pid();
        String java = System.getProperty("java.version");
        SparkLine spark = SparkLine.here();
        try {
            Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
            String backendClass = Nd4j.getBackend().getClass().getName();
            return new Nd4jProbe(executorId, hostName(), pid, java, spark.spark(), spark.scala(), cores,
                    String.valueOf(env.getOrDefault("backend", Nd4j.getEnvironment().isCPU() ? "CPU" : "CUDA")),
                    artifactOf(backendClass), backendClass, devices(env, cores),
                    Nd4j.factory().blas().getBlasVendor().name(), Nd4j.getEnvironment().maxThreads(),
                    intOf(env.get("omp.threads")), intOf(env.get("blas.threads")), ompNumThreads,
                    Pointer.maxBytes(), Pointer.maxPhysicalBytes(), Pointer.physicalBytes(), "");
        } catch (Exception | LinkageError | OutOfMemoryError e) {
            // LinkageError: no backend or native library for this platform; OutOfMemoryError: javacpp's
            // maxbytes/maxphysicalbytes refuse ND4J's first allocations. Either way ND4J cannot run here.
            return new Nd4jProbe(executorId, hostName(), pid, java, spark.spark(), spark.scala(), cores, "", "", "",
                    List.of(), "", 0, 0, 0, ompNumThreads, -1, -1, -1, describe(e));
        }
    }

    /** The Maven artifact that ships a backend class, e.g. {@code nd4j-native} for the CPU backend. */
    static String artifactOf(String backendClass) {
        if (backendClass.contains(".cpu.nativecpu.")) return "nd4j-native";
        if (backendClass.contains(".jcublas.")) return "nd4j-cuda";
        return backendClass.substring(backendClass.lastIndexOf('.') + 1);
    }

    /** GPUs as the CUDA backend lists them; on the CPU backend, the host with its physical memory. */
    private static List<Device> devices(Properties env, int cores) {
        List<Device> devices = new ArrayList<>();
        if (env.get("cuda.devicesInformation") instanceof List<?> gpus) {
            for (Object gpu : gpus) {
                if (gpu instanceof Map<?, ?> info) {
                    devices.add(new Device(String.valueOf(info.get("cuda.deviceName")),
                            longOf(info.get("cuda.totalMemory")), longOf(info.get("cuda.freeMemory"))));
                }
            }
            return devices;
        }
        long total = -1;
        long free = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            total = os.getTotalMemorySize();
            free = os.getFreeMemorySize();
        }
        int count = Math.max(1, Nd4j.getAffinityManager().getNumberOfDevices());
        for (int i = 0; i < count; i++) {
            devices.add(new Device("host, " + cores + " cores", total, free));
        }
        return devices;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** The chain of causes in one line: ND4J's own message is often on an inner exception. */
    private static String describe(Throwable t) {
        return Causes.of(t)
                .map(c -> c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage()))
                .collect(Collectors.joining(" <- "));
    }

    private static int intOf(Object value) {
        return value instanceof Number n ? n.intValue() : -1;
    }

    private static long longOf(Object value) {
        return value instanceof Number n ? n.longValue() : -1;
    }
}
