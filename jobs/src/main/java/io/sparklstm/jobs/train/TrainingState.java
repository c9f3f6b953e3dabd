package io.sparklstm.jobs.train;

import io.sparklstm.jobs.evaluate.Metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a training run stands: epochs done, their metric records, the best epoch so far by the selection
 * metric, and how long it has gone without improving. Saved in every checkpoint, so a resumed run carries on
 * exactly where the last complete epoch left it.
 */
final class TrainingState {

    private final String dataDir;
    private final String metric;
    private final List<EpochRecord> records;
    private int bestEpoch;
    private double bestValue;

    TrainingState(String dataDir, String metric) {
        this(dataDir, metric, new ArrayList<>(), 0, Double.NaN);
    }

    private TrainingState(String dataDir, String metric, List<EpochRecord> records, int bestEpoch,
                          double bestValue) {
        this.dataDir = dataDir;
        this.metric = metric;
        this.records = records;
        this.bestEpoch = bestEpoch;
        this.bestValue = bestValue;
    }

    String dataDir() {
        return dataDir;
    }

    String metric() {
        return metric;
    }

    int epochsDone() {
        return records.size();
    }

    List<EpochRecord> records() {
        return records;
    }

    int bestEpoch() {
        return bestEpoch;
    }

    double bestValue() {
        return bestValue;
    }

    int epochsSinceBest() {
        return epochsDone() - bestEpoch;
    }

    /**
     * Records an epoch, marked with whether it is the best so far: whether its metric beats the best so far by
     * more than {@code minDelta}, which is returned.
     */
    boolean addEpoch(EpochRecord record, double value, double minDelta) {
        boolean higher = Metrics.higherIsBetter(metric);
        boolean better = bestEpoch == 0 || (higher ? value > bestValue + minDelta : value < bestValue - minDelta);
        records.add(record.withBest(better));
        if (better) {
            bestEpoch = epochsDone();
            bestValue = value;
        }
        return better;
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", dataDir);
        m.put("metric", metric);
        m.put("epoch", epochsDone());
        m.put("bestEpoch", bestEpoch);
        m.put("bestValue", bestValue);
        m.put("records", records);
        return m;
    }

    @SuppressWarnings("unchecked")
    static TrainingState fromMap(Map<String, Object> m) {
        List<EpochRecord> records = new ArrayList<>();
        for (Object r : (List<Object>) m.get("records")) {
            records.add(EpochRecord.fromJsonValue(r));
        }
        return new TrainingState((String) m.get("data"), (String) m.get("metric"), records,
                ((Number) m.get("bestEpoch")).intValue(), Double.parseDouble(String.valueOf(m.get("bestValue"))));
    }
}
