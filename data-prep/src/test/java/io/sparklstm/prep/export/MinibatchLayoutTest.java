package io.sparklstm.prep.export;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class MinibatchLayoutTest {

    @Test
    void channelMajorFeaturesBecomeBatchChannelsSteps() {
        // two channels, three steps: channel 0 = 1,2,3 and channel 1 = 10,20,30
        Example a = new Example(0, "", 0, 3, new float[]{1, 2, 3, 10, 20, 30}, new float[]{7, 8}, -1);
        Example b = new Example(0, "", 1, 3, new float[]{4, 5, 6, 40, 50, 60}, new float[]{9, 10}, -1);
        DataSet ds = MinibatchWriter.toDataSet(List.of(a, b), new BatchShape(2, 2, false, 2));
        assertArrayEquals(new long[]{2, 2, 3}, ds.getFeatures().shape());
        assertEquals(20f, ds.getFeatures().getFloat(0, 1, 1));
        assertEquals(6f, ds.getFeatures().getFloat(1, 0, 2));
        assertEquals(10f, ds.getLabels().getFloat(1, 1));
        assertNull(ds.getFeaturesMaskArray(), "equal lengths need no mask");
    }

    @Test
    void classLabelsAreOneHot() {
        Example a = new Example(0, "", 0, 2, new float[]{1, 2}, new float[0], 2);
        DataSet ds = MinibatchWriter.toDataSet(List.of(a), new BatchShape(1, 4, true, 1));
        assertArrayEquals(new float[]{0, 0, 1, 0}, ds.getLabels().toFloatVector());
    }

    @Test
    void shorterSequencesArePaddedAtTheEndAndMasked() {
        Example longer = new Example(0, "", 0, 3, new float[]{1, 2, 3}, new float[0], 0);
        Example shorter = new Example(0, "", 1, 2, new float[]{4, 5}, new float[0], 1);
        DataSet ds = MinibatchWriter.toDataSet(List.of(longer, shorter), new BatchShape(1, 2, true, 2));
        assertArrayEquals(new float[]{1, 1, 1, 1, 1, 0}, ds.getFeaturesMaskArray().reshape(6).toFloatVector());
        assertEquals(0f, ds.getFeatures().getFloat(1, 0, 2));
        assertEquals(5f, ds.getFeatures().getFloat(1, 0, 1));
    }

    @Test
    void seededShuffleIsStableAndEvaluationKeepsOrder() {
        Example train = new Example(0, "s", 5, 1, new float[]{0}, new float[0], 0);
        Example test = new Example(2, "s", 5, 1, new float[]{0}, new float[0], 0);
        assertEquals(ExampleOrder.of(train, 1), ExampleOrder.of(train, 1));
        assertEquals(0L, ExampleOrder.of(test, 1).shuffle());
        assertEquals(-1, Integer.signum(ExampleOrder.of(train, 1).compareTo(ExampleOrder.of(test, 1))));
    }
}
