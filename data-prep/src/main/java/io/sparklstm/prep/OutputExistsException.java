package io.sparklstm.prep;

/** The output directory already exists and overwriting was not asked for. A usage error: exit code 2. */
public class OutputExistsException extends RuntimeException {
    public OutputExistsException(String path) {
        super("the output " + path + " already exists; choose another --output or pass --overwrite");
    }
}
