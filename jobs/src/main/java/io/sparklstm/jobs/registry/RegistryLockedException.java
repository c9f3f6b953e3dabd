package io.sparklstm.jobs.registry;

/**
 * Another live run holds the registry's lock, or took it from this run ({@link RegistryLockLostException}): try
 * again later.
 */
public class RegistryLockedException extends RuntimeException {

    public RegistryLockedException(String message) {
        super(message);
    }
}
