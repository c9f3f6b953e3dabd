package io.sparklstm.prep.timeseries;

import io.sparklstm.model.Json;

import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** A malformed row set aside under {@code rejected/}: where it was, why, and its text. */
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
