package io.sparklstm.tests;

import io.sparklstm.jobs.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import static io.sparklstm.tests.RetrainRounds.Child;
import static io.sparklstm.tests.RetrainRounds.args;
import static io.sparklstm.tests.RetrainRounds.assertConsistent;
import static io.sparklstm.tests.RetrainRounds.assertSettled;
import static io.sparklstm.tests.RetrainRounds.decisions;
import static io.sparklstm.tests.RetrainRounds.increment;
import static io.sparklstm.tests.RetrainRounds.registry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retrain processes killed with SIGKILL at each step of a round and of a promotion, each crash followed by the
 * next attempt of the same round: after every kill the registry is consistent (CURRENT loadable and never
 * missing once a version was promoted, no round decided twice, no version promoted twice), and the round's
 * last attempt finishes it, leaving nothing that blocks the next round.
 */
class RetrainCrashIT {

    /** A first version made poor on purpose, so that the next round's challenger beats it and is promoted. */
    private static final String[] POOR = {"--set", "model.learningRate=1.0", "--set", "model.clipping=none",
            "--set", "training.shrinkToNaive=false"};

    private static void killedAt(Path dir, String[] round, String point) throws Exception {
        String label = "killed-at-" + point.replaceAll("[^A-Za-z0-9.-]", "_");
        Child.start(dir, label, round, Optional.of(point)).awaitPause().kill();
    }

    @Test
    void aRoundKilledAtEachStepIsFinishedByItsRerunsAndNothingIsPromotedTwice(@TempDir Path dir) throws Exception {
        Path registry = dir.resolve("registry");
        Path work = dir.resolve("work");

        // round 1 (no champion yet): killed holding the lock, with its version staged, published, in service
        String[] first = args(registry, work, increment(dir, 3), "r1", POOR);
        killedAt(dir, first, "retrain.locked");
        assertTrue(Files.exists(registry.resolve("etth1/LOCK")), "the killed run's lock is left behind");
        assertEquals(Optional.empty(), assertConsistent(registry));
        killedAt(dir, first, "registry.publish.staged");
        assertEquals(List.of(), registry(registry).versions(), "a staged version is not a version");
        killedAt(dir, first, "registry.publish.renamed");
        assertEquals(List.of(1), registry(registry).versions());
        assertEquals(Optional.empty(), assertConsistent(registry), "published is not in service");
        killedAt(dir, first, "registry.promote.renamed");
        assertEquals(Optional.of(2), assertConsistent(registry), "version 1 abandoned, version 2 put in service");
        // the last attempt records the promotion it finds, and neither trains nor promotes again
        assertEquals(0, Main.execute(first));
        assertEquals(Optional.of(2), assertSettled(registry));
        assertEquals(List.of(1, 2), registry(registry).versions());
        assertEquals(List.of("stale lock broken", "stale lock broken", "stale lock broken", "abandoned",
                "stale lock broken", "promoted"), decisions(registry));

        // round 2 replaces the champion: killed inside promote(), then inside record() of its decision (the
        // attempt's third record: the broken lock, the abandoned version 3, the decision)
        String[] second = args(registry, work, increment(dir, 4), "r2");
        killedAt(dir, second, "replace-file:CURRENT");
        assertEquals(Optional.of(2), assertConsistent(registry), "a promotion cut short leaves the champion in service");
        assertEquals(List.of(1, 2, 3), registry(registry).versions());
        killedAt(dir, second, "registry.record.staged#3");
        assertEquals(Optional.of(4), assertConsistent(registry));
        assertEquals(0, Main.execute(second));
        assertEquals(Optional.of(4), assertSettled(registry));
        List<String> decisions = decisions(registry);
        assertEquals(List.of("stale lock broken", "abandoned", "stale lock broken", "promoted"),
                decisions.subList(decisions.size() - 4, decisions.size()));
        assertEquals(2, Collections.frequency(decisions, "promoted"));
    }
}
