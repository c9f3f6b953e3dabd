package io.sparklstm.jobs.train;

import io.sparklstm.model.CellType;
import io.sparklstm.model.ModelSpec;
import io.sparklstm.model.NetworkFactory;
import io.sparklstm.model.Task;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The training loss of per-step labels is per predicted step: the steps behind DL4J's score. */
class LossHookTest {

    private static MultiLayerNetwork network(int tbpttSteps) {
        ModelSpec spec = new ModelSpec(CellType.LSTM, List.of(4), List.of(), false, 0, 0, ModelSpec.Clipping.NONE, 0,
                ModelSpec.Updater.ADAM, 0.01, 1.0, tbpttSteps, 1L);
        return NetworkFactory.network(spec, Task.STEP_CLASSIFICATION, 3, 3);
    }

    @Test
    void withoutTruncationEveryStepOfEveryExampleIsScored() {
        DataSet ds = new DataSet(Nd4j.zeros(DataType.FLOAT, 2, 3, 10), Nd4j.zeros(DataType.FLOAT, 2, 3, 10));
        assertEquals(20, LossHook.scoredSteps(ds, network(0)));
    }

    @Test
    void withTruncationOnlyTheLastSegmentIsScoredAndMasksCount() {
        DataSet ds = new DataSet(Nd4j.zeros(DataType.FLOAT, 2, 3, 10), Nd4j.zeros(DataType.FLOAT, 2, 3, 10));
        // segments of 4: [0, 4), [4, 8), [8, 10): the score after fitting is the last one's
        assertEquals(4, LossHook.scoredSteps(ds, network(4)));
        INDArray mask = Nd4j.ones(DataType.FLOAT, 2, 10);
        mask.putScalar(new long[]{1, 9}, 0f);
        DataSet masked = new DataSet(ds.getFeatures(), ds.getLabels(), mask, mask);
        assertEquals(3, LossHook.scoredSteps(masked, network(4)));
        assertEquals(19, LossHook.scoredSteps(masked, network(0)));
    }
}
