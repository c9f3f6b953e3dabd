package io.sparklstm.jobs.cli;

import org.apache.spark.api.java.JavaSparkContext;

import java.util.concurrent.TimeUnit;

/**
 * Ends a command that waits on a Spark context stopped under it. When a standalone master refuses the application,
 * Spark's client gives up and stops the context from another thread; a job submitted at that moment can pass the
 * context's "stopped?" check, then have its submission dropped by the scheduler's stopped event loop, and its
 * caller waits for ever. Once the context has been stopped by someone else for {@link #GRACE_MILLIS} (time for a
 * job to fail the ordinary way), the command's thread is interrupted: the wait ends with an exception that
 * {@link JobCommand} explains with exit code 1.
 */
final class StoppedContextWatch implements AutoCloseable {

    static final long POLL_MILLIS = 500;
    static final long GRACE_MILLIS = 5_000;

    private final Thread watcher;
    private volatile boolean closed;
    private volatile boolean fired;

    private StoppedContextWatch(JavaSparkContext sc, Thread command) {
        watcher = new Thread(() -> watch(sc, command), "spark-lstm-stopped-context-watch");
        watcher.setDaemon(true);
    }

    /** Watches {@code sc} on behalf of {@code command}, the thread that runs the command, until closed. */
    static StoppedContextWatch start(JavaSparkContext sc, Thread command) {
        StoppedContextWatch watch = new StoppedContextWatch(sc, command);
        watch.watcher.start();
        return watch;
    }

    private void watch(JavaSparkContext sc, Thread command) {
        try {
            long stoppedSince = -1;
            while (!closed) {
                if (sc.sc().isStopped()) {
                    long now = System.nanoTime();
                    if (stoppedSince < 0) stoppedSince = now;
                    if (now - stoppedSince >= TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS)) {
                        synchronized (this) {
                            if (closed) return;
                            fired = true;
                            command.interrupt();
                        }
                        return;
                    }
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** Whether the command's thread was interrupted because the context had stopped under it. */
    boolean fired() {
        return fired;
    }

    /** Stops watching; after this the command's thread is not interrupted by the watch. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        watcher.interrupt();
    }
}
