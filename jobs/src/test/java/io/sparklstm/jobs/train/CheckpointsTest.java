package io.sparklstm.jobs.train;

import io.sparklstm.model.CellType;
import io.sparklstm.model.ModelSpec;
import io.sparklstm.model.NetworkFactory;
import io.sparklstm.model.Task;
import io.sparklstm.model.data.Preparation;
import io.sparklstm.prep.output.CrashPoints;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkpoints on the local filesystem, and what a crash while writing them leaves to resume from. */
class CheckpointsTest {

    private static final Configuration CONF = new Configuration();
    private static final ModelSpec SPEC = new ModelSpec(CellType.LSTM, List.of(3), List.of(), false, 0, 0,
            ModelSpec.Clipping.NONE, 1, ModelSpec.Updater.ADAM, 1e-3, 1, 0, 7);
    private static final Preparation PREP = new Preparation("sequences", Task.CLASSIFICATION, List.of("x"), List.of(),
            List.of("a", "b"), 5, 1, null, "", Map.of());

    private static MultiLayerNetwork network(long seed) {
        ModelSpec spec = new ModelSpec(CellType.LSTM, List.of(3), List.of(), false, 0, 0, ModelSpec.Clipping.NONE, 1,
                ModelSpec.Updater.ADAM, 1e-3, 1, 0, seed);
        return NetworkFactory.network(spec, Task.CLASSIFICATION, 1, 2);
    }

    /** One epoch as the training loop ends it: its record, then its checkpoints. */
    private static void epoch(Checkpoints checkpoints, TrainingState state, MultiLayerNetwork network, double loss) {
        boolean improved = state.addEpoch(record(state, loss), loss, 0);
        checkpoints.writeEpoch(network, SPEC, PREP, state, improved);
    }

    /** The record of the epoch after {@code state}'s last, with this validation loss. */
    private static EpochRecord record(TrainingState state, double loss) {
        return EpochRecord.fitted(state.epochsDone() + 1, loss, 4, 100.0, 0.04, 0.01, Optional.empty())
                .completed(Map.of("loss", loss), 0.05, Map.of("tasks", 2L));
    }

    /** A run through {@code epochs} epochs of these losses, each epoch with its own parameters. */
    private static List<MultiLayerNetwork> run(Checkpoints checkpoints, TrainingState state, double... losses) {
        List<MultiLayerNetwork> networks = new ArrayList<>();
        for (int i = 0; i < losses.length; i++) {
            networks.add(network(i + 1));
            epoch(checkpoints, state, networks.get(i), losses[i]);
        }
        return networks;
    }

    @Test
    void aCrashWhileTheBestCheckpointIsReplacedLeavesTheBestOfTheStateToResumeFrom(@TempDir Path dir) throws Exception {
        Checkpoints checkpoints = new Checkpoints(new RunDirectory(dir.toUri().toString(), CONF), CONF);
        TrainingState state = new TrainingState("data", "loss");
        MultiLayerNetwork first = run(checkpoints, state, 1.0).get(0);
        MultiLayerNetwork second = network(2);
        try (var armed = CrashPoints.arm("replace-directory:best", CrashPoints.Action.crash())) {
            assertThrows(CrashPoints.Crash.class, () -> epoch(checkpoints, state, second, 0.5));
        }
        Checkpoints.Saved latest = checkpoints.latest().orElseThrow();
        int bestEpoch = latest.state().bestEpoch();
        var best = checkpoints.bestOf(latest);
        assertTrue(best.isPresent(), "the best epoch's parameters are there to resume with");
        assertEquals(bestEpoch, best.get().state().epochsDone());
        assertEquals((bestEpoch == 1 ? first : second).params(), best.get().bundle().network().params());
        // and checkpoints/best itself reads, for resume and for evaluate --model: the old best, set aside
        assertEquals(first.params(), checkpoints.best().orElseThrow().bundle().network().params());
        assertTrue(RunDirectory.bundleDirectory(new org.apache.hadoop.fs.Path(dir.resolve("checkpoints/best").toUri()),
                CONF).getName().startsWith(".best.replaced-"));
    }

    @Test
    void theBestOfAnEarlierEpochIsReadFromBestAndAnotherEpochThereIsNotTakenForIt(@TempDir Path dir) {
        Checkpoints checkpoints = new Checkpoints(new RunDirectory(dir.toUri().toString(), CONF), CONF);
        TrainingState state = new TrainingState("data", "loss");
        List<MultiLayerNetwork> networks = run(checkpoints, state, 1.0, 0.5, 0.7);
        Checkpoints.Saved latest = checkpoints.latest().orElseThrow();
        assertEquals(3, latest.state().epochsDone());
        assertEquals(networks.get(1).params(), checkpoints.bestOf(latest).orElseThrow().bundle().network().params());

        // checkpoints/best of epoch 1 beside a state whose best is epoch 2, as an older version's crash left it
        Checkpoints other = new Checkpoints(new RunDirectory(dir.resolve("other").toUri().toString(), CONF), CONF);
        TrainingState otherState = new TrainingState("data", "loss");
        run(other, otherState, 1.0);
        otherState.addEpoch(record(otherState, 0.5), 0.5, 0);
        otherState.addEpoch(record(otherState, 0.7), 0.7, 0);
        new RunDirectory(dir.resolve("other").toUri().toString(), CONF).writeBundle("checkpoints/epoch-0003",
                new io.sparklstm.model.bundle.ModelBundle(network(3), new io.sparklstm.model.bundle.BundleInfo(
                        io.sparklstm.model.bundle.BundleInfo.FORMAT_VERSION, SPEC, PREP, Map.of(), otherState.toMap(),
                        io.sparklstm.model.bundle.Provenance.current("test", Map.of(), Map.of()))));
        Checkpoints.Saved otherLatest = other.latest().orElseThrow();
        assertEquals(3, otherLatest.state().epochsDone());
        assertTrue(other.bestOf(otherLatest).isEmpty(), "epoch 1 is not the best epoch 2");
    }
}
