package io.sparklstm.ml;

import io.sparklstm.prep.LabelledSequence;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.List;

/**
 * A column of sequences, one per row: {@code array<array<double>>} (steps, then the channels of each step) or
 * {@code array<vector>} (a vector of channels per step). Sequences may differ in length; every step of every
 * sequence must have the same channels. Values must be finite numbers.
 */
final class SequenceColumn {

    private SequenceColumn() {
    }

    /** Fails, naming the owner and the column, unless the column exists and holds sequences. */
    static void require(StructType schema, String column, String owner) {
        if (!List.of(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException(owner + ": featuresCol '" + column + "' is not a column of the input "
                    + "(columns: " + String.join(", ", schema.fieldNames()) + ")");
        }
        DataType type = schema.apply(column).dataType();
        if (!isSequence(type)) {
            throw new IllegalArgumentException(owner + ": featuresCol '" + column + "' has type "
                    + type.simpleString() + "; expected array<array<double>> (steps x channels) or array<vector>");
        }
    }

    private static boolean isSequence(DataType type) {
        if (!(type instanceof ArrayType steps)) return false;
        DataType step = steps.elementType();
        return step.equals(SQLDataTypes.VectorType())
                || (step instanceof ArrayType channels && channels.elementType() instanceof NumericType);
    }

    /** A sequence as the preparation and the network take it: channel-major values and its length. */
    record Sequence(double[] values, int steps) implements LabelledSequence, Serializable {

        int channels() {
            return values.length / steps;
        }

        @Override
        public int fileIndex() {
            return 0;
        }

        @Override
        public long line() {
            return 0;
        }

        @Override
        public int label() {
            return -1;
        }

        @Override
        public int split() {
            return -1;
        }
    }

    /**
     * The sequence in a row's column, channel-major ({@code [c * steps + t]}); an {@link IllegalArgumentException}
     * naming the column when it is null, empty, ragged or holds a value that is not a finite number.
     */
    static Sequence read(Row row, int index, String column) {
        if (row.isNullAt(index)) throw new IllegalArgumentException(column + ": a row's sequence is null");
        List<Object> steps = row.getList(index);
        if (steps.isEmpty()) throw new IllegalArgumentException(column + ": a row's sequence has no steps");
        double[][] byStep = new double[steps.size()][];
        for (int t = 0; t < byStep.length; t++) {
            byStep[t] = channels(steps.get(t), column, t);
            if (byStep[t].length != byStep[0].length) {
                throw new IllegalArgumentException(column + ": step " + (t + 1) + " of a sequence has "
                        + byStep[t].length + " channels where its first step has " + byStep[0].length);
            }
        }
        int channels = byStep[0].length;
        if (channels == 0) throw new IllegalArgumentException(column + ": a sequence's steps have no channels");
        double[] values = new double[channels * byStep.length];
        for (int t = 0; t < byStep.length; t++) {
            for (int c = 0; c < channels; c++) values[c * byStep.length + t] = byStep[t][c];
        }
        return new Sequence(values, byStep.length);
    }

    private static double[] channels(Object step, String column, int t) {
        if (step == null) throw new IllegalArgumentException(column + ": step " + (t + 1) + " of a sequence is null");
        double[] out;
        if (step instanceof Vector v) {
            out = v.toArray();
        } else {
            scala.collection.Seq<?> seq = (scala.collection.Seq<?>) step;
            out = new double[seq.length()];
            scala.collection.Iterator<?> it = seq.iterator();
            for (int c = 0; it.hasNext(); c++) {
                Object value = it.next();
                if (value == null) {
                    throw new IllegalArgumentException(column + ": step " + (t + 1) + ", channel " + (c + 1)
                            + " of a sequence is null");
                }
                out[c] = ((Number) value).doubleValue();
            }
        }
        for (int c = 0; c < out.length; c++) {
            if (!Double.isFinite(out[c])) {
                throw new IllegalArgumentException(column + ": step " + (t + 1) + ", channel " + (c + 1)
                        + " of a sequence is " + out[c] + "; values must be finite numbers");
            }
        }
        return out;
    }
}
