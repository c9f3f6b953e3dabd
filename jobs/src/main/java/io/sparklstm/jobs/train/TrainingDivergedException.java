package io.sparklstm.jobs.train;

/** The training loss became NaN or infinite. Exit code 4; the last good checkpoint is kept. */
public class TrainingDivergedException extends RuntimeException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}
