package io.sparklstm.prep.output;

import io.sparklstm.prep.output.OutputRequest.Placement;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which directories an output may take, and the write-beside-then-swap of a replacement, on the local filesystem. */
class OutputRequestTest {

    private final Configuration conf = new Configuration();

    private static OutputRequest request(Path target, boolean overwrite, Placement placement,
                                         Map<String, String> inputs) {
        return new OutputRequest(target.toString(), OutputKind.PREPARED_DATASET, overwrite, placement, inputs);
    }

    private static OutputRequest staged(Path target, boolean overwrite) {
        return request(target, overwrite, Placement.STAGED, Map.of());
    }

    /** A complete output of the tool in {@code target}, holding {@code file} with {@code text}. */
    private Path written(Path target, String file, String text) throws IOException {
        OutputDirectory out = staged(target, true).claim(conf);
        Files.writeString(Path.of(java.net.URI.create(out.path())).resolve(file), text);
        out.commit();
        return target;
    }

    /** The names in {@code dir}, but for the local filesystem's checksum files. */
    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc")).sorted().toList();
        }
    }

    private static String refusal(Runnable action) {
        return assertThrows(OutputRefusedException.class, action::run).getMessage();
    }

    @Test
    void aDirectoryWithoutTheMarkerIsNeverReplacedAndKeepsItsFiles(@TempDir Path dir) throws IOException {
        Path foreign = Files.createDirectories(dir.resolve("results"));
        Files.writeString(foreign.resolve("notes.txt"), "mine");
        String message = refusal(() -> staged(foreign, true).claim(conf));
        assertTrue(message.contains("was not written by spark-lstm"), message);
        assertTrue(refusal(() -> staged(foreign, false).check(conf)).contains("already exists"));
        assertEquals(List.of("notes.txt"), names(foreign));
        assertEquals(List.of("results"), names(dir), "nothing written beside it");
    }

    @Test
    void anExistingOutputNeedsOverwriteAndAnotherKindIsNotReplaced(@TempDir Path dir) throws IOException {
        Path data = written(dir.resolve("data"), "manifest.json", "{}");
        assertTrue(refusal(() -> staged(data, false).check(conf)).contains("pass --overwrite"));
        String message = refusal(() -> new OutputRequest(data.toString(), OutputKind.TRAINING_RUN, true,
                Placement.IN_PLACE_WHEN_NEW, Map.of()).check(conf));
        assertTrue(message.contains("holds a prepared dataset, not a training run"), message);
        staged(data, true).check(conf);
    }

    @Test
    void anOutputThatIsOrHoldsAnInputIsRefused(@TempDir Path dir) throws IOException {
        Path raw = Files.createDirectories(dir.resolve("raw"));
        Path csv = Files.writeString(raw.resolve("a.csv"), "x\n1\n");
        Path data = written(dir.resolve("data"), "manifest.json", "{}");

        String message = refusal(() -> staged(raw, true).check(conf));
        assertTrue(message.contains("not written by spark-lstm"), "without inputs: " + message);
        message = refusal(() -> request(raw, true, Placement.STAGED, Map.of("input.path", csv.toString())).check(conf));
        assertTrue(message.contains("holds input.path " + "file:" + csv), message);
        message = refusal(() -> request(data, true, Placement.STAGED, Map.of("--data", data.toString())).check(conf));
        assertTrue(message.contains("is --data"), message);
        message = refusal(() -> request(dir, true, Placement.STAGED, Map.of("input.path", raw + "/*.csv"))
                .check(conf));
        assertTrue(message.contains("holds input.path"), "a glob's matches: " + message);
        Path link = Files.createSymbolicLink(dir.resolve("link"), raw);
        message = refusal(() -> request(raw, true, Placement.STAGED, Map.of("input.path", link + "/a.csv"))
                .check(conf));
        assertTrue(message.contains("holds input.path"), "through a symbolic link: " + message);

        // beside or inside an input is fine: nothing of it is replaced
        request(raw.resolve("prepared"), false, Placement.STAGED, Map.of("input.path", raw.toString())).check(conf);
        request(dir.resolve("raw2"), false, Placement.STAGED, Map.of("input.path", raw.toString())).check(conf);
        assertEquals(List.of("a.csv"), names(raw));
    }

    @Test
    void aPathUnderAFileIsRefusedNamingTheFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "x");
        String message = refusal(() -> staged(file.resolve("a/b"), false).check(conf));
        assertTrue(message.contains("file:" + file + " is a file"), message);
        assertTrue(refusal(() -> staged(file, true).check(conf)).contains("is a file, not a directory"));
    }

    @Test
    void anEmptyDirectoryIsUsedWithoutOverwrite(@TempDir Path dir) throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        OutputDirectory inPlace = request(empty, false, Placement.IN_PLACE_WHEN_NEW, Map.of()).claim(conf);
        assertEquals(empty.toUri().getPath(), java.net.URI.create(inPlace.path()).getPath() + "/");
        assertFalse(OutputMarker.read(new org.apache.hadoop.fs.Path(inPlace.path()), conf).get().complete());
        inPlace.commit();
        assertTrue(OutputMarker.read(new org.apache.hadoop.fs.Path(inPlace.path()), conf).get().complete());

        Path other = Files.createDirectories(dir.resolve("other"));
        OutputDirectory staged = staged(other, false).claim(conf);
        staged.commit();
        assertEquals(List.of(OutputMarker.FILE_NAME), names(other));
        assertEquals(List.of("empty", "other"), names(dir));
    }

    @Test
    void theOldOutputStaysWholeUntilTheNewOneIsCompleteThenNothingIsLeftBeside(@TempDir Path dir) throws IOException {
        Path data = written(dir.resolve("data"), "old.txt", "old");
        Files.writeString(data.resolve("added-by-hand.txt"), "part of the old output");
        OutputDirectory replacement = staged(data, true).claim(conf);
        Path work = Path.of(java.net.URI.create(replacement.path()));
        assertTrue(work.getFileName().toString().startsWith(".data.partial-"), work.toString());
        Files.writeString(work.resolve("new.txt"), "new");
        assertEquals("old", Files.readString(data.resolve("old.txt")), "untouched while the new one is written");

        replacement.commit();
        assertEquals(List.of(OutputMarker.FILE_NAME, "new.txt"), names(data));
        assertEquals(List.of("data"), names(dir));
        assertTrue(OutputMarker.read(new org.apache.hadoop.fs.Path(data.toUri()), conf).get().complete());
    }

    @Test
    void aFailedStagedOutputLeavesNothingAndTheOldOneWhole(@TempDir Path dir) throws IOException {
        Path data = written(dir.resolve("data"), "old.txt", "old");
        OutputDirectory replacement = staged(data, true).claim(conf);
        replacement.abandon();
        assertEquals(List.of("data"), names(dir));
        assertEquals("old", Files.readString(data.resolve("old.txt")));

        OutputDirectory fresh = staged(dir.resolve("fresh"), false).claim(conf);
        fresh.abandon();
        assertEquals(List.of("data"), names(dir), "a failed new output leaves nothing behind");
    }

    @Test
    void aKeptPartialOutputIsResumedIntoItsTargetOrRemovedByTheNextClaim(@TempDir Path dir) throws IOException {
        Path run = dir.resolve("run");
        OutputDirectory first = new OutputRequest(run.toString(), OutputKind.TRAINING_RUN, false,
                Placement.IN_PLACE_WHEN_NEW, Map.of()).claim(conf);
        Files.writeString(Path.of(java.net.URI.create(first.path())).resolve("summary.json"), "old");
        first.commit();

        OutputRequest replace = new OutputRequest(run.toString(), OutputKind.TRAINING_RUN, true,
                Placement.IN_PLACE_WHEN_NEW, Map.of());
        OutputDirectory killed = replace.claim(conf);
        killed.abandon();
        Path partial = Path.of(java.net.URI.create(killed.path()));
        assertTrue(Files.isDirectory(partial), "kept, to be resumed");
        assertEquals("old", Files.readString(run.resolve("summary.json")));

        OutputDirectory resumed = OutputDirectory.resume(partial.toString(), OutputKind.TRAINING_RUN, conf);
        assertEquals(run.toUri().getPath(), java.net.URI.create(resumed.target()).getPath() + "/");
        Files.writeString(partial.resolve("summary.json"), "new");
        resumed.commit();
        assertEquals("new", Files.readString(run.resolve("summary.json")));
        assertEquals(List.of("run"), names(dir));

        replace.claim(conf).abandon();
        assertEquals(2, names(dir).size());
        replace.claim(conf).commit();
        assertEquals(List.of("run"), names(dir), "the stale partial output was removed");
    }

    @Test
    void aSwapInterruptedBetweenItsRenamesIsRolledBackByTheNextClaim(@TempDir Path dir) throws IOException {
        Path data = written(dir.resolve("data"), "old.txt", "old");
        Files.move(data, dir.resolve(".data.replaced-12345678"));
        Files.createDirectories(dir.resolve(".data.partial-87654321"));
        Files.copy(dir.resolve(".data.replaced-12345678").resolve(OutputMarker.FILE_NAME),
                dir.resolve(".data.partial-87654321").resolve(OutputMarker.FILE_NAME));

        staged(data, true).claim(conf).abandon();
        assertEquals("old", Files.readString(data.resolve("old.txt")));
        assertEquals(List.of("data"), names(dir));
    }

    @Test
    void anOutputFileMayNotGoIntoAnInputOrOverADirectory(@TempDir Path dir) throws IOException {
        Path data = written(dir.resolve("data"), "manifest.json", "{}");
        String message = refusal(() -> OutputRequest.checkFile(data.resolve("manifest.json").toString(),
                Map.of("--data", data.toString()), conf));
        assertTrue(message.contains("is inside --data"), message);
        assertTrue(refusal(() -> OutputRequest.checkFile(data.toString(), Map.of(), conf)).contains("is a directory"));
        OutputRequest.checkFile(dir.resolve("metrics.json").toString(), Map.of("--data", data.toString()), conf);
        assertEquals(List.of("data"), names(dir), "the check leaves no file behind");
    }

    @Test
    void aMarkerThatCannotBeReadIsNoMarker(@TempDir Path dir) throws IOException {
        Path data = written(dir.resolve("data"), "manifest.json", "{}");
        Files.writeString(data.resolve(OutputMarker.FILE_NAME), "not json");
        assertTrue(refusal(() -> staged(data, true).check(conf)).contains("not written by spark-lstm"));
    }
}
