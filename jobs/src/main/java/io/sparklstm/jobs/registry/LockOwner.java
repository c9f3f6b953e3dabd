package io.sparklstm.jobs.registry;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.sparklstm.model.Json;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The owner a run writes into the {@code LOCK} it takes: its host, process id and start time (to tell, on the same
 * host, a live holder from a process id reused), a random token unique to the holding, its purpose and when it
 * took the lock. The JSON is the one {@code LOCK} files have always had: keys in this order, the start time left
 * out when the platform does not tell it. The project's mapper has no module for {@code Optional}, so the JSON goes
 * through the {@code json*} accessors.
 *
 * <p>Only this run's own lock is held as a {@code LockOwner}: a lock found in the registry is read as the JSON
 * object it is ({@link RegistryLock.Held}), since another build or a hand may have written it with other keys.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.NONE, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
@JsonPropertyOrder({"host", "pid", "processStartMillis", "token", "purpose", "acquiredAtMillis"})
@JsonInclude(JsonInclude.Include.NON_NULL)
record LockOwner(String host, long pid, Optional<Long> processStartMillis, String token, String purpose,
                 long acquiredAtMillis) {

    LockOwner {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(processStartMillis, "processStartMillis");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(purpose, "purpose");
    }

    /** This process as the owner of a lock taken now for {@code purpose}, with a fresh token. */
    static LockOwner ofThisProcess(String purpose) {
        ProcessHandle self = ProcessHandle.current();
        return new LockOwner(RegistryLock.hostName(), self.pid(),
                self.info().startInstant().map(t -> t.toEpochMilli()), UUID.randomUUID().toString(), purpose,
                System.currentTimeMillis());
    }

    /** The content of the {@code LOCK} file. */
    byte[] toJson() {
        try {
            return Json.mapper().writeValueAsBytes(this);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the lock owner: " + e.getMessage(), e);
        }
    }

    @JsonProperty("host")
    private String jsonHost() {
        return host;
    }

    @JsonProperty("pid")
    private long jsonPid() {
        return pid;
    }

    @JsonProperty("processStartMillis")
    private Long jsonProcessStartMillis() {
        return processStartMillis.orElse(null);
    }

    @JsonProperty("token")
    private String jsonToken() {
        return token;
    }

    @JsonProperty("purpose")
    private String jsonPurpose() {
        return purpose;
    }

    @JsonProperty("acquiredAtMillis")
    private long jsonAcquiredAtMillis() {
        return acquiredAtMillis;
    }
}
