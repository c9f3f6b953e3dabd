package io.sparklstm.prep.output;

/**
 * An output the command must not write: it exists and replacing it was not asked for, it is not the tool's
 * own, it holds the command's input, or it cannot be written. A usage error (exit code 2), found before any work.
 */
public class OutputRefusedException extends RuntimeException {
    public OutputRefusedException(String message) {
        super(message);
    }

    public OutputRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
