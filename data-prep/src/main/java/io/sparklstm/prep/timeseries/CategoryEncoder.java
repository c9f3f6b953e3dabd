package io.sparklstm.prep.timeseries;

import io.sparklstm.prep.Tally;
import io.sparklstm.prep.config.TimeSeriesConfig.UnseenCategory;
import io.sparklstm.prep.io.InputDataException;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One-hot encodes the categorical columns with the vocabulary of the training split, appending one channel
 * per (column, value) after the numeric channels. A missing value is all zeros; a value the training split
 * never had is an error naming file, line and value, or all zeros (and counted), as configured.
 */
final class CategoryEncoder implements Serializable {

    /** The name under which values that the training split never had are counted. */
    static final String UNSEEN = "unseenCategories";

    private final List<String> columns;
    private final List<List<String>> vocabulary;
    private final List<Map<String, Integer>> positions = new ArrayList<>();
    private final UnseenCategory unseen;
    private final int channels;

    CategoryEncoder(List<String> columns, List<List<String>> vocabulary, UnseenCategory unseen) {
        this.columns = List.copyOf(columns);
        this.vocabulary = List.copyOf(vocabulary);
        this.unseen = unseen;
        int offset = 0;
        for (List<String> values : vocabulary) {
            Map<String, Integer> at = new HashMap<>();
            for (String v : values) at.put(v, offset++);
            positions.add(at);
        }
        this.channels = offset;
    }

    /** Channel names: {@code column=value}, in column then vocabulary order. */
    List<String> channelNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            for (String v : vocabulary.get(i)) names.add(columns.get(i) + "=" + v);
        }
        return names;
    }

    /** The vocabulary of each column, for the manifest and the model bundle. */
    Map<String, List<String>> vocabularies() {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) out.put(columns.get(i), vocabulary.get(i));
        return out;
    }

    /**
     * The numeric values followed by the one-hot channels.
     *
     * @param file    the row's file, for the error on an unseen value
     * @param tally   counts, as {@link #UNSEEN}, values encoded as zeros because the training split never had them
     */
    double[] encode(SeriesRow row, String file, Tally tally) {
        double[] numeric = row.values();
        if (columns.isEmpty()) return numeric;
        double[] out = new double[numeric.length + channels];
        System.arraycopy(numeric, 0, out, 0, numeric.length);
        String[] categories = row.categories();
        for (int i = 0; i < categories.length; i++) {
            if (categories[i] == null) continue;
            Integer at = positions.get(i).get(categories[i]);
            if (at != null) {
                out[numeric.length + at] = 1.0;
            } else if (unseen == UnseenCategory.ERROR) {
                throw new InputDataException(file + ":" + row.line() + ": column " + columns.get(i) + ": value '"
                        + categories[i] + "' does not occur in the training split (vocabulary " + vocabulary.get(i)
                        + "); timeseries.unseenCategory = \"zero\" encodes such values as all zeros");
            } else {
                tally.add(UNSEEN, 1);
            }
        }
        return out;
    }
}
