package io.sparklstm.jobs.doctor;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code doctor} found: versions, the driver's ND4J, and, when Spark was started, each executor's.
 * A problem (ND4J not loading somewhere, an executor on another backend than the driver, a JVM on another Spark
 * line or Scala binary version than the job jar was built for) makes the check fail; a warning (e.g.
 * {@code OMP_NUM_THREADS} unset, which lets every task use all cores, or another patch release of the same Spark
 * line) does not.
 *
 * @param builtFor  the Spark and Scala versions the job jar was built for
 * @param master    the Spark master the executors were checked under; empty when they were not
 * @param executors one probe per executor JVM; empty when they were not checked
 */
public record DoctorReport(Map<String, String> versions, SparkLine builtFor, Nd4jProbe driver, String master,
                           int executorsRegistered, List<Nd4jProbe> executors, List<String> problems,
                           List<String> warnings) {

    /** A report of the driver alone. */
    public static DoctorReport driverOnly(Map<String, String> versions, SparkLine builtFor, Nd4jProbe driver) {
        return of(versions, builtFor, driver, "", 0, List.of());
    }

    public static DoctorReport of(Map<String, String> versions, SparkLine builtFor, Nd4jProbe driver, String master,
                                  int executorsRegistered, List<Nd4jProbe> executors) {
        List<String> problems = new ArrayList<>(sparkLineProblems(builtFor, driver, executors));
        problems.addAll(problems(driver, executors));
        List<String> warnings = new ArrayList<>(sparkPatchWarnings(builtFor, driver, executors));
        warnings.addAll(warnings(driver, executors, executorsRegistered, !master.isEmpty()));
        return new DoctorReport(versions, builtFor, driver, master, executorsRegistered, List.copyOf(executors),
                List.copyOf(problems), List.copyOf(warnings));
    }

    @JsonProperty("ok")
    public boolean ok() {
        return problems.isEmpty();
    }

    public boolean executorsChecked() {
        return !master.isEmpty();
    }

    static List<String> problems(Nd4jProbe driver, List<Nd4jProbe> executors) {
        List<String> problems = new ArrayList<>();
        if (!driver.loaded()) {
            problems.add("ND4J did not load on the driver: " + driver.error());
        }
        for (Nd4jProbe e : executors) {
            if (!e.loaded()) {
                problems.add("ND4J did not load on " + where(e) + ": " + e.error());
            } else if (driver.loaded() && !e.backendClass().equals(driver.backendClass())) {
                problems.add(where(e) + " runs the ND4J backend " + e.backendLabel() + ", the driver "
                        + driver.backendLabel() + ": ship one backend (one job jar) to both");
            }
        }
        return problems;
    }

    /** Every JVM, the driver first, on the Spark line and Scala binary version the job jar was built for. */
    static List<String> sparkLineProblems(SparkLine builtFor, Nd4jProbe driver, List<Nd4jProbe> executors) {
        List<String> problems = new ArrayList<>();
        for (Nd4jProbe p : jvms(driver, executors)) {
            if (!p.sparkLine().compatibleWith(builtFor)) {
                problems.add(where(p) + " runs " + p.sparkLine().label() + ", but the job jar was built for "
                        + builtFor.label() + ": run the jar built for that Spark line (the default build is for "
                        + "Spark 4, mvn package -Pspark-3.5 for Spark 3.5)");
            }
        }
        return problems;
    }

    /** Another patch release of the same line runs the jar; said, since a problem may still trace back to it. */
    static List<String> sparkPatchWarnings(SparkLine builtFor, Nd4jProbe driver, List<Nd4jProbe> executors) {
        List<String> warnings = new ArrayList<>();
        for (Nd4jProbe p : jvms(driver, executors)) {
            if (p.sparkLine().compatibleWith(builtFor) && !p.sparkLine().equals(builtFor)) {
                warnings.add(where(p) + " runs " + p.sparkLine().label() + ", the job jar was built for "
                        + builtFor.label() + " (the same line, so compatible)");
            }
        }
        return warnings;
    }

    /** The driver, then the executors that are other JVMs (in local mode the driver answers as an executor too). */
    private static List<Nd4jProbe> jvms(Nd4jProbe driver, List<Nd4jProbe> executors) {
        List<Nd4jProbe> jvms = new ArrayList<>(List.of(driver));
        executors.stream().filter(e -> e.pid() != driver.pid() || !e.host().equals(driver.host())).forEach(jvms::add);
        return jvms;
    }

    static List<String> warnings(Nd4jProbe driver, List<Nd4jProbe> executors, int registered, boolean checked) {
        List<String> warnings = new ArrayList<>();
        if (checked && executors.size() < registered) {
            warnings.add(executors.size() + " of " + registered + " registered executors ran a probe task; "
                    + "the others were not checked");
        }
        for (Nd4jProbe e : executors) {
            if (e.loaded() && driver.loaded() && !e.blasVendor().equals(driver.blasVendor())) {
                warnings.add(where(e) + " uses BLAS " + e.blasVendor() + ", the driver " + driver.blasVendor());
            }
            if (e.ompNumThreads().isEmpty()) {
                warnings.add(where(e) + ": OMP_NUM_THREADS is not set, so each task's ND4J may use every core; "
                        + "set spark.executorEnv.OMP_NUM_THREADS to spark.task.cpus");
            }
        }
        return warnings;
    }

    private static String where(Nd4jProbe p) {
        return (p.executorId().equals("driver") ? "the driver JVM" : "executor " + p.executorId()) + " on "
                + p.host() + " (pid " + p.pid() + ")";
    }

    /** The report for people: a block per section and a table of executors. */
    public String text() {
        StringBuilder s = new StringBuilder();
        s.append("spark-lstm doctor\n");
        versions.forEach((k, v) -> line(s, k, v));
        line(s, "built for", builtFor.label());
        s.append("\ndriver\n");
        describe(s, driver);
        s.append('\n');
        if (!executorsChecked()) {
            s.append("executors: not checked (give --master URL, or run under spark-submit)\n");
        } else {
            s.append(String.format(Locale.ROOT, "executors (%s): %d answered, %d registered%n", master,
                    executors.size(), executorsRegistered));
            s.append(table(executors));
        }
        s.append('\n');
        warnings.forEach(w -> s.append("warning: ").append(w).append('\n'));
        problems.forEach(p -> s.append("PROBLEM: ").append(p).append('\n'));
        s.append(ok() ? (executorsChecked() ? "OK: the driver and every executor that answered run "
                + driver.backendLabel() + "\n" : "OK: ND4J runs on the driver: " + driver.backendLabel() + "\n")
                : "FAILED: " + problems.size() + " problem(s)\n");
        return s.toString();
    }

    private static void describe(StringBuilder s, Nd4jProbe p) {
        line(s, "host", p.host() + ", pid " + p.pid() + ", " + p.cores() + " cores");
        if (!p.loaded()) {
            line(s, "nd4j backend", "NOT LOADED: " + p.error());
            line(s, "OMP_NUM_THREADS", orUnset(p.ompNumThreads()));
            return;
        }
        line(s, "nd4j backend", p.backendLabel() + ", " + p.backendClass());
        for (int i = 0; i < p.devices().size(); i++) {
            Device d = p.devices().get(i);
            line(s, i == 0 ? "devices" : "", i + ": " + d.name() + ", " + bytes(d.totalBytes()) + " total, "
                    + bytes(d.freeBytes()) + " free");
        }
        line(s, "blas", p.blasVendor() + ", " + p.blasThreads() + " thread(s)");
        line(s, "threads", "ND4J max " + p.nd4jMaxThreads() + ", OpenMP " + p.ompThreads() + ", OMP_NUM_THREADS "
                + orUnset(p.ompNumThreads()));
        line(s, "javacpp", "maxbytes " + bytes(p.javacppMaxBytes()) + ", maxphysicalbytes "
                + bytes(p.javacppMaxPhysicalBytes()) + ", resident now " + bytes(p.javacppPhysicalBytes()));
    }

    private static String table(List<Nd4jProbe> probes) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"executor", "host", "pid", "backend", "blas", "nd4j threads", "omp threads",
                "OMP_NUM_THREADS", "java", "spark", "scala", "status"});
        for (Nd4jProbe p : probes) {
            rows.add(new String[]{p.executorId(), p.host(), Long.toString(p.pid()), p.backendLabel(),
                    p.loaded() ? p.blasVendor() : "-", p.loaded() ? Integer.toString(p.nd4jMaxThreads()) : "-",
                    p.loaded() ? Integer.toString(p.ompThreads()) : "-", orUnset(p.ompNumThreads()), p.javaVersion(),
                    p.sparkVersion(), p.scalaVersion(), p.loaded() ? "ok" : "ND4J failed: " + p.error()});
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length - 1; i++) widths[i] = Math.max(widths[i], row[i].length());
        }
        StringBuilder t = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                t.append("  ").append(i == row.length - 1 ? row[i] : pad(row[i], widths[i]));
            }
            t.append('\n');
        }
        return t.toString();
    }

    private static void line(StringBuilder s, String key, String value) {
        s.append("  ").append(pad(key, 16)).append(' ').append(value).append('\n');
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    private static String orUnset(String value) {
        return Optional.of(value).filter(v -> !v.isEmpty()).orElse("(unset)");
    }

    static String bytes(long n) {
        if (n < 0) return "unknown";
        if (n >= 1L << 30) return String.format(Locale.ROOT, "%.1f GiB", n / (double) (1L << 30));
        return String.format(Locale.ROOT, "%.0f MiB", n / (double) (1L << 20));
    }
}
