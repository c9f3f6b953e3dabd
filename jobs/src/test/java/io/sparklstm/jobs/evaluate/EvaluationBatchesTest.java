package io.sparklstm.jobs.evaluate;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** training.evalBatchSize: how many minibatch files evaluation scores together. */
class EvaluationBatchesTest {

    @Test
    void asManyFilesAsFitInEvalBatchSizeExamplesAndAtLeastOne() {
        assertEquals(4, DistributedEvaluator.filesPerBatch(64, 16));
        assertEquals(2, DistributedEvaluator.filesPerBatch(64, 32));
        assertEquals(1, DistributedEvaluator.filesPerBatch(64, 64));
        assertEquals(1, DistributedEvaluator.filesPerBatch(64, 100), "a file larger than the batch is scored alone");
        assertEquals(2, DistributedEvaluator.filesPerBatch(90, 32), "never more examples than evalBatchSize");
    }

    @Test
    void consecutiveFilesAreGroupedInOrderTheLastGroupHoldingTheRest() {
        List<String> files = IntStream.range(0, 10).mapToObj(i -> "batch-" + i + ".bin").toList();
        List<List<String>> batches = DistributedEvaluator.batches(files, 4);
        assertEquals(List.of(files.subList(0, 4), files.subList(4, 8), files.subList(8, 10)), batches);
        assertEquals(10, DistributedEvaluator.batches(files, 1).size());
        assertEquals(List.of(), DistributedEvaluator.batches(List.of(), 4));
        assertThrows(IllegalArgumentException.class, () -> DistributedEvaluator.batches(files, 0));
    }
}
