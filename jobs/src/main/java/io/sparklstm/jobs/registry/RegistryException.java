package io.sparklstm.jobs.registry;

/** A registry that cannot be used as asked: locked by another run, or inconsistent. */
public final class RegistryException extends RuntimeException {

    public RegistryException(String message) {
        super(message);
    }

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
