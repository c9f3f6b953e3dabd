package io.sparklstm.jobs.train;

import io.sparklstm.jobs.evaluate.Metrics;
import io.sparklstm.model.Task;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A member's headline figures: a split the dataset does not have gives none, not a loss of NaN. */
class EnsembleMemberTest {

    @Test
    void aSplitWithoutExamplesHasNoHeadline() {
        Metrics none = new Metrics(0, Double.NaN, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
        assertTrue(EnsembleMember.headline(none, Task.CLASSIFICATION).isEmpty());
        assertTrue(EnsembleMember.headline(null, Task.CLASSIFICATION).isEmpty());
        Metrics some = new Metrics(10, 0.25, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
        assertEquals(Map.of("loss", 0.25), EnsembleMember.headline(some, Task.CLASSIFICATION));
    }
}
