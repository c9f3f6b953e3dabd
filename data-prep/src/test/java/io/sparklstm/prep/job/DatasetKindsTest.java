package io.sparklstm.prep.job;

import io.sparklstm.prep.DatasetKindSupport;
import io.sparklstm.prep.config.DatasetKind;
import io.sparklstm.prep.export.Example;
import io.sparklstm.prep.sequences.SequencesKind;
import io.sparklstm.prep.text.TextKind;
import io.sparklstm.prep.timeseries.TimeSeriesKind;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dataset kinds meet their implementations in one place, {@link DatasetKinds}: every kind has exactly one, in the
 * kind's own package, and no other main code (of data-prep or of jobs, which uses it) decides by the kind.
 */
class DatasetKindsTest {

    /** The main sources that may use dataset kinds: this module's and those of jobs, beside it in the reactor. */
    private static final List<Path> SOURCES = List.of(Path.of("src/main/java"), Path.of("../jobs/src/main/java"));
    /** The registry and the enum, which name each kind by design. */
    private static final List<String> ALLOWED = List.of("io/sparklstm/prep/job/DatasetKinds.java",
            "io/sparklstm/prep/config/DatasetKind.java");
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);
    /**
     * A decision by kind: a comparison with a kind constant, a {@code case} of a kind constant (a switch on a kind
     * names {@code TIMESERIES}, {@code SEQUENCES} or {@code TS} unless it has a default; {@code TEXT} alone is
     * also a type of setting in {@code ConfigLoader}), a comparison of a recorded kind's name.
     */
    private static final Pattern DECISION = Pattern.compile(
            "[=!]=\\s*DatasetKind\\.\\w+|DatasetKind\\.\\w+\\s*[=!]="
                    + "|case\\s+(DatasetKind\\.)?(TIMESERIES|SEQUENCES|TS)\\b|case\\s+DatasetKind\\."
                    + "|\\.equals\\(\"(timeseries|sequences|ts|text)\"\\)|\"(timeseries|sequences|ts|text)\"\\.equals");

    @Test
    void everyKindHasExactlyOneImplementationOfItsOwn() {
        for (DatasetKind kind : DatasetKind.values()) {
            long registered = DatasetKinds.all().stream().filter(k -> k.kind() == kind).count();
            assertEquals(1, registered, kind + " implementations");
            assertEquals(kind, DatasetKinds.of(kind).kind());
            String name = kind.name().toLowerCase(Locale.ROOT);
            assertEquals(Optional.of(DatasetKinds.of(kind)), DatasetKinds.named(name));
        }
        assertEquals(DatasetKind.values().length, DatasetKinds.all().size());
        assertEquals(Optional.empty(), DatasetKinds.named("sequence"));
    }

    /**
     * Each kind's own package: named for the kind, but for {@code ts}, named for the archive its files come from
     * ({@code prep.uea}): "ts" beside {@code prep.timeseries} read as an abbreviation of it.
     */
    private static final Map<DatasetKind, String> PACKAGES = Map.of(DatasetKind.TIMESERIES, "timeseries",
            DatasetKind.SEQUENCES, "sequences", DatasetKind.TS, "uea", DatasetKind.TEXT, "text");

    @Test
    void eachImplementationLivesInItsKindsPackage() {
        assertEquals(Set.of(DatasetKind.values()), PACKAGES.keySet());
        for (DatasetKindSupport support : DatasetKinds.all()) {
            assertEquals("io.sparklstm.prep." + PACKAGES.get(support.kind()),
                    support.getClass().getPackageName(), support.getClass().getName());
        }
    }

    @Test
    void aKindRegisteredTwiceOrNotAtAllFailsNamingIt() {
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> DatasetKinds.index(List.of(
                new TimeSeriesKind(), new TextKind(), new SequencesKind(), new SequencesKind())));
        assertTrue(twice.getMessage().startsWith("dataset kind SEQUENCES is registered twice"), twice.getMessage());
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> DatasetKinds.index(List.of(
                new TimeSeriesKind(), new TextKind(), new SequencesKind())));
        assertEquals("dataset kind TS has no implementation in DatasetKinds", missing.getMessage());
    }

    @Test
    void kryoRegistersEveryKindsTypesAfterTheSharedOnes() {
        List<Class<?>> all = SerializedTypes.all();
        assertEquals(Example.class, all.get(0));
        for (DatasetKindSupport support : DatasetKinds.all()) {
            assertTrue(all.containsAll(support.serializedTypes()), support.kind().toString());
        }
    }

    @Test
    void onlyTheRegistryDecidesByDatasetKind() throws IOException {
        Map<String, List<String>> found = new TreeMap<>();
        int files = 0;
        for (Path root : SOURCES) {
            assertTrue(Files.isDirectory(root), root.toAbsolutePath().toString());
            List<Path> sources;
            try (Stream<Path> walk = Files.walk(root)) {
                sources = walk.filter(p -> p.toString().endsWith(".java")).toList();
            }
            for (Path file : sources) {
                files++;
                String relative = root.relativize(file).toString().replace('\\', '/');
                if (ALLOWED.contains(relative)) continue;
                String code = COMMENT.matcher(Files.readString(file)).replaceAll("");
                Matcher decision = DECISION.matcher(code);
                List<String> hits = new ArrayList<>();
                while (decision.find()) hits.add(decision.group());
                if (!hits.isEmpty()) found.put(relative, hits);
            }
        }
        assertTrue(files > 100, files + " source files read");
        assertEquals(Map.of(), found, "decisions by dataset kind outside DatasetKinds (ask DatasetKinds.of(kind))");
    }
}
