package io.sparklstm.prep.io;

import io.sparklstm.prep.InputDataException;

import java.io.Serializable;

/**
 * One line of one input file.
 *
 * @param fileIndex index of the file in the {@link InputFiles} order
 * @param file      the file, for messages
 * @param number    1-based line number in the file
 * @param text      the line without its terminator
 */
public record TextLine(int fileIndex, String file, long number, String text) implements Serializable {

    public boolean isBlank() {
        return text.isBlank();
    }

    /**
     * A field of this line as a finite number; anything else (text, NaN, infinity) is an input error that
     * names the file, the line, {@code what} the field is, and the line's text.
     */
    public double finiteNumber(String field, String what) {
        double v;
        try {
            v = Double.parseDouble(field);
        } catch (NumberFormatException e) {
            v = Double.NaN;
        }
        if (!Double.isFinite(v)) {
            throw InputDataException.atLine(file, number, what + ": '" + field + "' is not a finite number", text);
        }
        return v;
    }
}
