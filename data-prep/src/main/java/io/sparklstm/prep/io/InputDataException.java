package io.sparklstm.prep.io;

/**
 * The input data is at fault (a malformed row, a missing column, a series too short, a corrupt file). The
 * message names the file and, where there is one, the line and its text. Exit code 3.
 */
public class InputDataException extends RuntimeException {

    public InputDataException(String message) {
        super(message);
    }

    public InputDataException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A problem with one line of one file. */
    public static InputDataException atLine(String file, long line, String problem, String text) {
        return new InputDataException(file + ":" + line + ": " + problem + " in: " + abbreviate(text));
    }

    static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= 200 ? text : text.substring(0, 200) + "... (" + text.length() + " characters)";
    }
}
