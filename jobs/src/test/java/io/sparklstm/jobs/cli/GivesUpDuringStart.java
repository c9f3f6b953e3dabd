package io.sparklstm.jobs.cli;

import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.ExternalClusterManager;
import org.apache.spark.scheduler.SchedulerBackend;
import org.apache.spark.scheduler.TaskScheduler;
import org.apache.spark.scheduler.TaskSchedulerImpl;
import org.apache.spark.scheduler.local.LocalSchedulerBackend;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A cluster manager for the master URL {@value #MASTER} whose cluster gives up on the application while the Spark
 * context is still being built, as the standalone client does when the master refuses it: just before the
 * context's start ends, it stops the context from another thread (Spark's own {@code SparkContext.stop}, as the
 * standalone client's {@code dead} does), and the driver goes on with a stopped context. Spark finds it through
 * {@code META-INF/services}.
 */
public final class GivesUpDuringStart implements ExternalClusterManager {

    static final String MASTER = "gives-up-during-start";

    @Override
    public boolean canCreate(String masterURL) {
        return MASTER.equals(masterURL);
    }

    @Override
    public TaskScheduler createTaskScheduler(SparkContext sc, String masterURL) {
        return new TaskSchedulerImpl(sc);
    }

    @Override
    public SchedulerBackend createSchedulerBackend(SparkContext sc, String masterURL, TaskScheduler scheduler) {
        return new LocalSchedulerBackend(sc.getConf(), (TaskSchedulerImpl) scheduler, 1) {
            private final AtomicBoolean gaveUp = new AtomicBoolean();

            /** Asked once the context's last start step waits for its backend: the cluster gives up right then. */
            @Override
            public boolean isReady() {
                if (gaveUp.compareAndSet(false, true)) {
                    // not joined: the stop ends by clearing the active context, which waits for the constructor
                    new Thread(sc::stop, "app-client-gives-up").start();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (!sc.listenerBus().activeQueues().isEmpty() && System.nanoTime() < deadline) {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                    }
                }
                return true;
            }
        };
    }

    @Override
    public void initialize(TaskScheduler scheduler, SchedulerBackend backend) {
        ((TaskSchedulerImpl) scheduler).initialize(backend);
    }
}
