package io.sparklstm.prep.uea;

import io.sparklstm.prep.LabelledSequence;
import io.sparklstm.prep.ParsedLine;
import io.sparklstm.prep.io.TextLine;

import java.io.Serializable;

/**
 * One case of a {@code .ts} file: its place, class, split and values.
 *
 * @param fileIndex index of its file (test files follow the {@code input.path} files)
 * @param line      1-based line number in its file
 * @param label     class index, in the order of the header's {@code @classLabel} list
 * @param split     0 train, 1 validation, 2 test, -1 in no split
 * @param values    {@code channels x steps}, channel-major ({@code [c * steps + t]})
 * @param steps     time steps of this case
 */
public record TsCase(int fileIndex, long line, int label, int split, double[] values, int steps)
        implements LabelledSequence, Serializable {

    public TsCase withSplit(int newSplit) {
        return new TsCase(fileIndex, line, label, newSplit, values, steps);
    }

    /**
     * Parses one data line, {@code c1v1,c1v2,...:c2v1,c2v2,...:...:label}; the split is left at -1. A line
     * with the wrong number of channels, channels of different lengths, a value that is not a finite number,
     * or a label the header does not list fails with its file, line and text.
     */
    public static TsCase parse(TextLine line, TsHeader header) {
        return read(line, header).orFail();
    }

    /**
     * One data line as a case, or why it is malformed (what {@link #parse} fails with), for
     * {@code input.onBadRecord = quarantine}.
     */
    public static ParsedLine<TsCase> read(TextLine line, TsHeader header) {
        String text = line.text().strip();
        int labelStart = text.lastIndexOf(':');
        if (labelStart < 0) {
            return ParsedLine.rejected(line, "no ':' before the class label (a case is channels separated by"
                    + " ':', values by ',', then ':' and the label)");
        }
        String labelText = text.substring(labelStart + 1).strip();
        int label = header.classNames().indexOf(labelText);
        if (label < 0) {
            return ParsedLine.rejected(line, "label '" + labelText + "' is not one of the classes "
                    + header.classNames() + " of the header's @classLabel");
        }
        int channels = 1;
        for (int i = 0; i < labelStart; i++) {
            if (text.charAt(i) == ':') channels++;
        }
        if (channels != header.dimensions()) {
            return ParsedLine.rejected(line, channels + " channel(s) where the header's @dimensions is "
                    + header.dimensions());
        }
        int steps = 1;
        int firstEnd = text.indexOf(':');
        for (int i = 0; i < firstEnd; i++) {
            if (text.charAt(i) == ',') steps++;
        }
        if (header.seriesLength() > 0 && steps != header.seriesLength()) {
            return ParsedLine.rejected(line, steps + " steps where the header's @seriesLength is "
                    + header.seriesLength());
        }
        double[] values = new double[channels * steps];
        int start = 0;
        for (int c = 0; c < channels; c++) {
            int end = text.indexOf(':', start);
            int t = 0;
            int valueStart = start;
            while (true) {
                int comma = text.indexOf(',', valueStart);
                int valueEnd = comma < 0 || comma > end ? end : comma;
                if (t == steps) {
                    return ParsedLine.rejected(line, unequal(line, c, steps));
                }
                String field = text.substring(valueStart, valueEnd).strip();
                double v = TextLine.finiteOrNaN(field);
                if (Double.isNaN(v)) {
                    return ParsedLine.rejected(line, notAValue(header, field, c, t));
                }
                values[c * steps + t] = v;
                t++;
                if (valueEnd == end) break;
                valueStart = valueEnd + 1;
            }
            if (t != steps) {
                return ParsedLine.rejected(line, unequal(line, c, steps));
            }
            start = end + 1;
        }
        return ParsedLine.of(new TsCase(line.fileIndex(), line.number(), label, -1, values, steps));
    }

    private static String unequal(TextLine line, int channel, int steps) {
        String[] channels = line.text().strip().split(":", -1);
        int n = channels[channel].split(",", -1).length;
        return "channel " + (channel + 1) + " has " + n + " values where channel 1 has " + steps
                + " (all channels of a case must have the same length)";
    }

    /** Why a field that is not a finite number is refused: '?' (a missing value) or not a number at all. */
    private static String notAValue(TsHeader header, String field, int channel, int step) {
        String where = "channel " + (channel + 1) + ", step " + (step + 1);
        if (field.equals("?")) {
            return where + ": '?' is a missing value" + (header.missing()
                    ? "; dataset.kind = ts does not fill in missing values"
                    : " but the header says @missing false");
        }
        return TextLine.notFinite(field, where);
    }
}
