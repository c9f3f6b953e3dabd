package io.sparklstm.jobs.train;

import java.io.Serializable;

/**
 * Where one worker's part of an averaging round went, measured on the executor: getting the network ready
 * (taking a pooled one, or building one, and setting parameters and updater state), fitting its minibatches
 * (the training hooks included), and everything from the start of the first to the end of the result (data
 * loading, copying the result out).
 *
 * @param built whether the network was built from its configuration (none was idle in the pool)
 */
public record WorkerTime(double initMs, double fitMs, double busyMs, boolean built) implements Serializable {
}
