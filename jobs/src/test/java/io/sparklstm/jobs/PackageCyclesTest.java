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
 * The packages of {@code jobs} depend on each other one way only, so that each can be read and changed from the
 * bottom up (evaluation below training, training below the registry, the command line on top). A reference is an
 * import or a fully-qualified name in code; comments do not count.
 */
class PackageCyclesTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern REFERENCE = Pattern.compile("\\b(io\\.sparklstm(?:\\.[a-z]\\w*)*)\\.[A-Z]");
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    @Test
    void noPackageOfJobsDependsOnItselfThroughOthers() throws IOException {
        Map<String, Set<String>> uses = dependencies();
        assertTrue(uses.keySet().containsAll(List.of("io.sparklstm.jobs.train", "io.sparklstm.jobs.evaluate",
                "io.sparklstm.jobs.registry")), uses.keySet().toString());
        Map<String, List<String>> cycles = new TreeMap<>();
        for (String pkg : uses.keySet()) {
            cycleThrough(pkg, uses).ifPresent(path -> cycles.put(pkg, path));
        }
        assertEquals(Map.of(), cycles, "package -> a way back to itself");
    }

    /** Each package of {@code jobs} to the other packages of {@code jobs} its code refers to. */
    private static Map<String, Set<String>> dependencies() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
        for (Path file : files) {
            String code = COMMENT.matcher(Files.readString(file)).replaceAll("");
            Matcher pkg = PACKAGE.matcher(code);
            if (!pkg.find()) continue;
            Set<String> targets = uses.computeIfAbsent(pkg.group(1), k -> new TreeSet<>());
            Matcher ref = REFERENCE.matcher(code);
            while (ref.find()) {
                String target = ref.group(1);
                if (target.startsWith("io.sparklstm.jobs") && !target.equals(pkg.group(1))) targets.add(target);
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
