package io.sparklstm.jobs.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.TaskInfo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts what Spark's scheduler went through while a job ran: tasks that ended, tasks that failed (an
 * exception, a lost executor, a fetch failure) or were killed, task attempts that were retries, and executors
 * added and removed. Registered on the driver's listener bus; events arrive asynchronously, so a count read
 * right after a Spark job may still lack that job's last events (they show in the next reading).
 */
public final class TaskCounter extends SparkListener {

    private final AtomicLong tasks = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong killed = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong executorsAdded = new AtomicLong();
    private final AtomicLong executorsRemoved = new AtomicLong();
    private Map<String, Long> previous = snapshot();

    /** A counter listening on {@code sc} from now on. */
    public static TaskCounter attach(JavaSparkContext sc) {
        TaskCounter counter = new TaskCounter();
        sc.sc().addSparkListener(counter);
        return counter;
    }

    /** Stops listening. */
    public void detach(JavaSparkContext sc) {
        sc.sc().removeSparkListener(this);
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        TaskInfo info = taskEnd.taskInfo();
        tasks.incrementAndGet();
        if (info.killed()) {
            killed.incrementAndGet();
        } else if (info.failed()) {
            failed.incrementAndGet();
        }
        if (info.attemptNumber() > 0) {
            retried.incrementAndGet();
        }
    }

    @Override
    public void onExecutorAdded(SparkListenerExecutorAdded added) {
        executorsAdded.incrementAndGet();
    }

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
        executorsRemoved.incrementAndGet();
    }

    /** The counts since this counter was attached. */
    public synchronized Map<String, Long> snapshot() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("tasks", tasks.get());
        out.put("failedTasks", failed.get());
        out.put("killedTasks", killed.get());
        out.put("retriedTasks", retried.get());
        out.put("executorsAdded", executorsAdded.get());
        out.put("executorsRemoved", executorsRemoved.get());
        return out;
    }

    /** The counts added since the previous call of this method (since attaching, on the first call). */
    public synchronized Map<String, Long> sinceLastCall() {
        Map<String, Long> now = snapshot();
        Map<String, Long> delta = new LinkedHashMap<>();
        now.forEach((k, v) -> delta.put(k, v - previous.get(k)));
        previous = now;
        return delta;
    }
}
