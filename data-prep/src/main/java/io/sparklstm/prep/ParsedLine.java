package io.sparklstm.prep;

import io.sparklstm.prep.io.InputDataException;
import io.sparklstm.prep.io.TextLine;

import java.io.Serializable;

/**
 * What parsing one line of a line-per-record kind ({@code sequences}, {@code ts}) gave: the record, or why the
 * line is malformed. With {@code input.onBadRecord = fail} (and always in {@code predict}) a malformed line is
 * an input error ({@link #orFail}); with {@code quarantine} its {@link Rejection} goes to {@code rejected/}.
 *
 * @param value     the parsed record, or null
 * @param rejection why the line is malformed, with its file, line and text, or null
 */
public record ParsedLine<T>(T value, Rejection rejection) implements Serializable {

    public static <T> ParsedLine<T> of(T value) {
        return new ParsedLine<>(value, null);
    }

    public static <T> ParsedLine<T> rejected(TextLine line, String reason) {
        return new ParsedLine<>(null, new Rejection(line.file(), line.number(), reason, line.text()));
    }

    public boolean ok() {
        return rejection == null;
    }

    /** The record; a malformed line is an input error naming its file, line, reason and text. */
    public T orFail() {
        if (rejection != null) {
            throw InputDataException.atLine(rejection.file(), rejection.line(), rejection.reason(), rejection.text());
        }
        return value;
    }
}
