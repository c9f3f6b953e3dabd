package io.sparklstm.prep.io;


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
        double v = finiteOrNaN(field);
        if (Double.isNaN(v)) {
            throw InputDataException.atLine(file, number, notFinite(field, what), text);
        }
        return v;
    }

    /** The field as a finite number, or NaN when it is text, NaN or infinite. */
    public static double finiteOrNaN(String field) {
        try {
            double v = Decimals.parse(field);
            return Double.isFinite(v) ? v : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Why a field is refused as a number: {@code what: 'field' is not a finite number}. */
    public static String notFinite(String field, String what) {
        return what + ": '" + field + "' is not a finite number";
    }
}
