package io.sparklstm.jobs.train;

/**
 * The workers fitted other than every training example once in an epoch (counted on the workers, after each
 * fitted minibatch). The data was checked before training (a mismatch there is an input error, exit 3) and the
 * rounds were planned from the files' own counts, so this is a fault of the training itself: exit code 1, not 4,
 * which says the model diverged and that a lower learning rate may help. The epoch's metrics record stays.
 */
public class IncompleteEpochException extends RuntimeException {

    public IncompleteEpochException(String message) {
        super(message);
    }

    /**
     * @param settings the settings the averaging rounds were planned with, named by their keys
     */
    public static IncompleteEpochException of(int epoch, long fitted, long expected, String settings) {
        return new IncompleteEpochException("epoch " + epoch + ": the workers fitted " + fitted + " examples, the "
                + "training split has " + expected + " (each must be fitted exactly once per epoch); averaging rounds "
                + "planned with " + settings + ". The run stops rather than train on "
                + (fitted < expected ? "part of the data" : "some examples twice") + "; please report it");
    }
}
