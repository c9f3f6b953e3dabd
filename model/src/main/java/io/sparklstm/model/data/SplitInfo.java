package io.sparklstm.model.data;

import java.util.List;

/**
 * One split of a prepared dataset.
 *
 * @param examples      sequences or windows in the split
 * @param batches       minibatch files
 * @param bytes         total size of the minibatch files
 * @param files         minibatch files, relative to the dataset directory, in order
 * @param rows          raw input rows that fall in the split (time series), or sequences
 * @param firstTime     first timestamp of the split's rows (ISO-8601), empty where not applicable
 * @param lastTime      last timestamp of the split's rows (ISO-8601), empty where not applicable
 * @param minSteps      time steps of the split's shortest sequence (window); 0 when the split is empty, and in
 *                      manifests written before the lengths were recorded
 * @param maxSteps      time steps of its longest sequence; 0 likewise
 * @param meanSteps     mean time steps of its sequences, before padding; 0 likewise
 * @param maskedBatches minibatch files that carry a features mask (their sequences differ in length and are
 *                      padded to the longest); 0 when every batch holds sequences of one length, and in older
 *                      manifests
 */
public record SplitInfo(long examples, long batches, long bytes, List<String> files, long rows,
                        String firstTime, String lastTime, int minSteps, int maxSteps, double meanSteps,
                        long maskedBatches) {
    public SplitInfo {
        files = List.copyOf(files);
        firstTime = firstTime == null ? "" : firstTime;
        lastTime = lastTime == null ? "" : lastTime;
    }
}
