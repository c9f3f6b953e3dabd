package io.sparklstm.model.bundle;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where and how a model was made. Results differ across platforms and library versions, so a bundle
 * records them.
 *
 * @param createdAt    ISO-8601 instant
 * @param codeVersion  spark-lstm version
 * @param libraries    library name to version (DL4J, ND4J backend, Spark, Java)
 * @param platform     OS, architecture, processors
 * @param extra        anything else the trainer wants on record (master URL, workers, ...)
 */
public record Provenance(String createdAt, String codeVersion, Map<String, String> libraries,
                         Map<String, String> platform, Map<String, String> extra) {

    public Provenance {
        libraries = new TreeMap<>(libraries);
        platform = new TreeMap<>(platform);
        extra = new TreeMap<>(extra);
    }

    /** Provenance of this JVM now; callers add library versions they know of. */
    public static Provenance current(String codeVersion, Map<String, String> libraries, Map<String, String> extra) {
        Map<String, String> platform = new TreeMap<>();
        platform.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        platform.put("arch", System.getProperty("os.arch"));
        platform.put("processors", Integer.toString(Runtime.getRuntime().availableProcessors()));
        platform.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        platform.put("jvm", ManagementFactory.getRuntimeMXBean().getVmName());
        return new Provenance(Instant.now().toString(), codeVersion, libraries, platform, extra);
    }
}
