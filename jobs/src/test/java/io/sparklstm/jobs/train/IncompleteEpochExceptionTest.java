package io.sparklstm.jobs.train;

import io.sparklstm.jobs.cli.ExitCodes;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IncompleteEpochExceptionTest {

    @Test
    void namesWhatWasFittedWhatWasExpectedAndTheSettingsAndExitsWithOne() {
        IncompleteEpochException e = IncompleteEpochException.of(3, 154, 394,
                "training.batchSizePerWorker = 16, training.averagingFrequency = 3, 2 workers, minibatch files of 128");
        assertTrue(e.getMessage().startsWith("epoch 3: the workers fitted 154 examples, the training split has 394"),
                e.getMessage());
        assertTrue(e.getMessage().contains("training.batchSizePerWorker = 16, training.averagingFrequency = 3"));
        assertTrue(e.getMessage().contains("part of the data"));
        assertEquals(ExitCodes.FAILURE, ExitCodes.of(new RuntimeException("wrapped", e)));
    }
}
