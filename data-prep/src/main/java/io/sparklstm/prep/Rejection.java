package io.sparklstm.prep;

import io.sparklstm.model.Json;

import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A malformed record set aside under {@code rejected/} when {@code input.onBadRecord = quarantine}: where it
 * was, why, and its text. The same JSON for every dataset kind.
 */
public record Rejection(String file, long line, String reason, String text) implements Serializable {

    /** One line of JSON, for the {@code rejected/} files. */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file);
        m.put("line", line);
        m.put("reason", reason);
        m.put("text", text);
        try {
            return Json.compact().writeValueAsString(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
