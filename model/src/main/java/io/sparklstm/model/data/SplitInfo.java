package io.sparklstm.model.data;

import java.util.List;

/**
 * One split of a prepared dataset.
 *
 * @param examples   sequences or windows in the split
 * @param batches    minibatch files
 * @param bytes      total size of the minibatch files
 * @param files      minibatch files, relative to the dataset directory, in order
 * @param rows       raw input rows that fall in the split (time series), or sequences
 * @param firstTime  first timestamp of the split's rows (ISO-8601), empty where not applicable
 * @param lastTime   last timestamp of the split's rows (ISO-8601), empty where not applicable
 */
public record SplitInfo(long examples, long batches, long bytes, List<String> files, long rows,
                        String firstTime, String lastTime) {
    public SplitInfo {
        files = List.copyOf(files);
        firstTime = firstTime == null ? "" : firstTime;
        lastTime = lastTime == null ? "" : lastTime;
    }
}
