package io.sparklstm.jobs.train;

import io.sparklstm.model.CellType;
import io.sparklstm.model.ModelSpec;
import io.sparklstm.model.NetworkFactory;
import io.sparklstm.model.Task;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ShrinkageTest {

    /** Scaling the output layer scales each output column by its target's factor, exactly. */
    @Test
    void eachTargetsOutputIsScaledByItsFactor() {
        ModelSpec spec = new ModelSpec(CellType.LSTM, List.of(6), List.of(), false, 0, 0, ModelSpec.Clipping.NONE, 0,
                ModelSpec.Updater.ADAM, 0.01, 1, 0, 42, ModelSpec.Kernel.FUSED);
        int targets = 3;
        int horizon = 2;
        MultiLayerNetwork network = NetworkFactory.network(spec, Task.FORECAST, 4, targets * horizon);
        INDArray input = Nd4j.rand(DataType.FLOAT, 5, 4, 7);
        INDArray before = network.output(input).dup();
        double[] factors = {0.0, 0.5, 1.0};
        Shrinkage.apply(network, factors);
        INDArray after = network.output(input);
        for (int i = 0; i < 5; i++) {
            for (int col = 0; col < targets * horizon; col++) {
                assertEquals(before.getDouble(i, col) * factors[col % targets], after.getDouble(i, col), 1e-6,
                        "example " + i + ", column " + col);
            }
        }
    }
}
