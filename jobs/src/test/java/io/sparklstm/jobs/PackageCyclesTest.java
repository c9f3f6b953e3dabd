package io.sparklstm.jobs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packages of the project's main code (model, data-prep and jobs: this module's sources and those of the modules
 * it builds on) depend on each other one way only, so that each can be read and changed from the bottom up
 * (evaluation below training, training below the registry, the command line on top; in the model, the root package
 * below the data types, the bundle and streaming; in data-prep, {@code prep.io} at the bottom, the root package of
 * the types the dataset kinds share above it, the kinds above that and the prepare job on top). A reference is an
 * import or a fully-qualified name in code; comments do not count.
 */
class PackageCyclesTest {

    private static final List<Path> SOURCES = List.of(Path.of("../model/src/main/java"),
            Path.of("../data-prep/src/main/java"), Path.of("src/main/java"));
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern REFERENCE = Pattern.compile("\\b(io\\.sparklstm(?:\\.[a-z]\\w*)*)\\.[A-Z]");
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    @Test
    void noPackageDependsOnItselfThroughOthers() throws IOException {
        Map<String, Set<String>> uses = dependencies();
        assertTrue(uses.keySet().containsAll(List.of("io.sparklstm.jobs.train", "io.sparklstm.jobs.evaluate",
                "io.sparklstm.jobs.registry", "io.sparklstm.model", "io.sparklstm.model.bundle",
                "io.sparklstm.model.data", "io.sparklstm.prep", "io.sparklstm.prep.job",
                "io.sparklstm.prep.timeseries")),
                uses.keySet().toString());
        Map<String, List<String>> cycles = new TreeMap<>();
        for (String pkg : uses.keySet()) {
            cycleThrough(pkg, uses).ifPresent(path -> cycles.put(pkg, path));
        }
        assertEquals(Map.of(), cycles, "package -> a way back to itself");
    }

    /** Each package of the main code to the other packages of the project its code refers to. */
    private static Map<String, Set<String>> dependencies() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        List<Path> files = new java.util.ArrayList<>();
        for (Path sources : SOURCES) {
            try (Stream<Path> walk = Files.walk(sources)) {
                files.addAll(walk.filter(p -> p.toString().endsWith(".java")).toList());
            }
        }
        for (Path file : files) {
            String code = COMMENT.matcher(Files.readString(file)).replaceAll("");
            Matcher pkg = PACKAGE.matcher(code);
            if (!pkg.find()) continue;
            Set<String> targets = uses.computeIfAbsent(pkg.group(1), k -> new TreeSet<>());
            Matcher ref = REFERENCE.matcher(code);
            while (ref.find()) {
                String target = ref.group(1);
                if (!target.equals(pkg.group(1))) targets.add(target);
            }
        }
        return uses;
    }

    /** A path of packages from {@code start} back to it, if there is one. */
    private static Optional<List<String>> cycleThrough(String start, Map<String, Set<String>> uses) {
        Map<String, String> reachedFrom = new TreeMap<>();
        Deque<String> open = new ArrayDeque<>(List.of(start));
        while (!open.isEmpty()) {
            String pkg = open.pop();
            for (String next : uses.getOrDefault(pkg, Set.of())) {
                if (reachedFrom.containsKey(next)) continue;
                reachedFrom.put(next, pkg);
                if (next.equals(start)) {
                    Deque<String> path = new ArrayDeque<>();
                    for (String p = reachedFrom.get(start); !p.equals(start); p = reachedFrom.get(p)) path.push(p);
                    path.push(start);
                    path.add(start);
                    return Optional.of(List.copyOf(path));
                }
                open.push(next);
            }
        }
        return Optional.empty();
    }
}
