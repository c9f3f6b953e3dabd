package io.sparklstm.prep;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.sparklstm.model.Json;

import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * A malformed record set aside under {@code rejected/} when {@code input.onBadRecord = quarantine}: where it
 * was, why, and its text. The same JSON for every dataset kind, keys in this order.
 */
@JsonPropertyOrder({"file", "line", "reason", "text"})
public record Rejection(String file, long line, String reason, String text) implements Serializable {

    /** One line of JSON, for the {@code rejected/} files. */
    public String toJson() {
        try {
            return Json.compact().writeValueAsString(this);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
