package io.sparklstm.prep.output;

import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Spark work that writes a claimed output: committed when it returns, abandoned when it fails, but only once
 * the tasks it started have stopped. When one task of a write fails, Spark fails the job at once and kills the
 * others, which stop only at their next record: until then they go on writing, and would recreate a directory
 * removed under them. The tasks are counted by a listener, since Spark's status API reports them late.
 */
public final class StagedWrite {

    private static final Logger LOG = LoggerFactory.getLogger(StagedWrite.class);
    private static final long TIMEOUT_MILLIS = 60_000;
    private static final long POLL_MILLIS = 100;

    private StagedWrite() {
    }

    public static <T> T run(JavaSparkContext sc, OutputDirectory output, Supplier<T> write) {
        TaskCount tasks = new TaskCount();
        SparkContext context = sc.sc();
        context.addSparkListener(tasks);
        try {
            T result = write.get();
            output.commit();
            return result;
        } catch (Throwable e) { // also what Spark throws undeclared: checked exceptions, e.g. a failed job
            tasks.awaitNone();
            output.abandon();
            throw e;
        } finally {
            context.removeSparkListener(tasks);
        }
    }

    /** Tasks started and not yet ended. */
    private static final class TaskCount extends SparkListener {
        private final AtomicInteger running = new AtomicInteger();

        @Override
        public void onTaskStart(SparkListenerTaskStart taskStart) {
            running.incrementAndGet();
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
            running.decrementAndGet();
        }

        /** Returns once no task has run at two polls in a row (events arrive a little late), or after 60 s. */
        void awaitNone() {
            long deadline = System.nanoTime() + TIMEOUT_MILLIS * 1_000_000;
            try {
                for (int idle = 0; idle < 2; idle = running.get() <= 0 ? idle + 1 : 0) {
                    if (System.nanoTime() > deadline) {
                        LOG.warn("{} task(s) of the failed job still run after {} s", running.get(),
                                TIMEOUT_MILLIS / 1000);
                        return;
                    }
                    Thread.sleep(POLL_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
