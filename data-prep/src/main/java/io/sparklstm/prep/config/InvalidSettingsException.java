package io.sparklstm.prep.config;

import java.util.List;

/**
 * Settings that cannot work, found when a settings record is built or, for what only the file system can tell
 * (two keys naming the same file), when the input is listed: a configuration error, exit code 2. Each problem is
 * one line that starts with its key: {@code key = value is invalid: expected ...}.
 */
public class InvalidSettingsException extends IllegalArgumentException {

    private final List<String> problems;

    public InvalidSettingsException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public InvalidSettingsException(String problem) {
        this(List.of(problem));
    }

    /** One line per problem, each starting with its key. */
    public List<String> problems() {
        return problems;
    }
}
