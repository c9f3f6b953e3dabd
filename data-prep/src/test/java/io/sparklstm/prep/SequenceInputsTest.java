package io.sparklstm.prep;

import io.sparklstm.prep.config.PerSequence;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class SequenceInputsTest {

    /** Two channels of four steps, channel-major: a ramp and a constant. */
    private static final double[] TWO_CHANNELS = {1, 2, 3, 6, 5, 5, 5, 5};

    @Test
    void statisticsFollowTheTransformedChannelsAsConstantChannelsMeansFirst() {
        SequenceInputs inputs = new SequenceInputs(PerSequence.CENTER, true);
        assertEquals(6, inputs.channels(2));
        assertEquals(2, inputs.sourceChannels(6));
        assertEquals(List.of("channel0", "channel1", "channel0.mean", "channel1.mean", "channel0.std", "channel1.std"),
                inputs.names(List.of("channel0", "channel1")));
        double std = Math.sqrt((2.0 * 2.0 + 1.0 + 0.0 + 3.0 * 3.0) / 4);
        assertArrayEquals(new double[]{-2, -1, 0, 3, 0, 0, 0, 0, 3, 3, 3, 3, 5, 5, 5, 5, std, std, std, std, 0, 0, 0, 0},
                inputs.apply(TWO_CHANNELS, 4), 1e-12);
    }

    @Test
    void withoutStatisticsTheInputsAreTheTransformedChannels() {
        SequenceInputs inputs = new SequenceInputs(PerSequence.STANDARDIZE, false);
        assertEquals(2, inputs.channels(2));
        assertEquals(List.of("value"), inputs.names(List.of("value")));
        assertArrayEquals(PerSequence.STANDARDIZE.apply(TWO_CHANNELS, 4), inputs.apply(TWO_CHANNELS, 4), 0.0);
        assertSame(TWO_CHANNELS, SequenceInputs.RAW.apply(TWO_CHANNELS, 4));
    }
}
