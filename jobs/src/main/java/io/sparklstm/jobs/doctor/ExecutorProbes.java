package io.sparklstm.jobs.doctor;

import org.apache.spark.api.java.JavaSparkContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Runs {@link Nd4jProbe#here()} on the executors: one small task per task slot (at least one per registered
 * executor), each probing the JVM it lands in. Only the probes, one per JVM, come back to the driver.
 */
public final class ExecutorProbes {

    private ExecutorProbes() {
    }

    /** What the executors run on, one probe per executor JVM, in executor order. */
    public static List<Nd4jProbe> probe(JavaSparkContext sc, Duration registrationWait) throws InterruptedException {
        return probe(sc, 1, registrationWait);
    }

    /**
     * As {@link #probe(JavaSparkContext, Duration)}, having first waited, up to {@code registrationWait}, for
     * executors enough to run {@code taskSlots} tasks at once (at {@code spark.executor.cores} each, one where it
     * is not set). Probing loads ND4J in every executor JVM that gets a task.
     */
    public static List<Nd4jProbe> probe(JavaSparkContext sc, int taskSlots, Duration registrationWait)
            throws InterruptedException {
        awaitExecutors(sc, taskSlots, registrationWait);
        int tasks = Math.max(sc.defaultParallelism(), registeredExecutors(sc));
        List<Nd4jProbe> all = sc.parallelize(IntStream.range(0, tasks).boxed().toList(), tasks)
                .mapPartitions(slot -> List.of(Nd4jProbe.here()).iterator())
                .collect();
        Map<String, Nd4jProbe> byJvm = new LinkedHashMap<>();
        for (Nd4jProbe p : all) {
            byJvm.putIfAbsent(p.executorId() + "@" + p.host() + ":" + p.pid(), p);
        }
        List<Nd4jProbe> probes = new ArrayList<>(byJvm.values());
        probes.sort((a, b) -> compareIds(a.executorId(), b.executorId()));
        return probes;
    }

    /** Executors that have registered with the driver (in local mode, the driver itself). */
    public static int registeredExecutors(JavaSparkContext sc) {
        int jvms = sc.sc().statusTracker().getExecutorInfos().length;
        return sc.isLocal() ? jvms : Math.max(0, jvms - 1);
    }

    /**
     * On a cluster, executors register a little after the context starts; wait for as many as
     * {@code spark.executor.instances} asks for (or one), and as {@code taskSlots} need, up to {@code wait}.
     */
    private static void awaitExecutors(JavaSparkContext sc, int taskSlots, Duration wait) throws InterruptedException {
        if (sc.isLocal()) return;
        int coresEach = Math.max(1, sc.getConf().getInt("spark.executor.cores", 1));
        int expected = Math.max(Math.max(1, sc.getConf().getInt("spark.executor.instances", 1)),
                (taskSlots + coresEach - 1) / coresEach);
        long deadline = System.nanoTime() + wait.toNanos();
        while (registeredExecutors(sc) < expected && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }

    /** Numeric executor ids in numeric order, {@code driver} first. */
    private static int compareIds(String a, String b) {
        boolean an = a.chars().allMatch(Character::isDigit) && !a.isEmpty();
        boolean bn = b.chars().allMatch(Character::isDigit) && !b.isEmpty();
        if (an && bn) return Long.compare(Long.parseLong(a), Long.parseLong(b));
        if (an != bn) return an ? 1 : -1;
        return a.compareTo(b);
    }
}
