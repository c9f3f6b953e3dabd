package io.sparklstm.jobs.registry;

/** Another live run holds the registry's lock: try again later. */
public final class RegistryLockedException extends RuntimeException {

    public RegistryLockedException(String message) {
        super(message);
    }
}
