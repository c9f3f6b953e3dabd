package io.sparklstm.jobs.registry;

/**
 * This run's lock of the registry was broken or taken over while it ran: it stops without writing; the round
 * is left to the run that holds the lock. Exits as a locked registry does (75: try later).
 */
public final class RegistryLockLostException extends RegistryLockedException {

    public RegistryLockLostException(String message) {
        super(message);
    }
}
