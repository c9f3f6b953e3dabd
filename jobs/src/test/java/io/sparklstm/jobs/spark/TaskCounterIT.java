package io.sparklstm.jobs.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A real local Spark whose task fails on its first attempt and succeeds on the retry. */
class TaskCounterIT {

    @Test
    void countsFailedAndRetriedTasksPerReading() throws InterruptedException {
        SparkConf conf = new SparkConf().setMaster("local[2,3]").setAppName("task-counter")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        JavaSparkContext sc = new JavaSparkContext(conf);
        try {
            TaskCounter counter = TaskCounter.attach(sc);
            long sum = sc.parallelize(List.of(1, 2, 3, 4), 2).map(x -> {
                if (x == 1 && TaskContext.get().attemptNumber() == 0) {
                    throw new IllegalStateException("first attempt fails on purpose");
                }
                return x;
            }).reduce(Integer::sum);
            assertEquals(10, sum);
            Map<String, Long> first = awaitTasks(counter, 3);
            assertEquals(3L, first.get("tasks"), first.toString());
            assertEquals(1L, first.get("failedTasks"), first.toString());
            assertEquals(1L, first.get("retriedTasks"), first.toString());

            sc.parallelize(List.of(1, 2), 2).count();
            Map<String, Long> second = awaitTasks(counter, 2);
            assertEquals(0L, second.get("failedTasks"), "a reading counts only what happened since the last one");
            assertEquals(3L + 2L, counter.snapshot().get("tasks"));
            counter.detach(sc);
        } finally {
            sc.stop();
        }
    }

    private long seen;

    /** Events reach listeners asynchronously: waits until {@code tasks} more task ends arrived, then reads. */
    private Map<String, Long> awaitTasks(TaskCounter counter, long tasks) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline && counter.snapshot().get("tasks") < seen + tasks) {
            Thread.sleep(20);
        }
        seen += tasks;
        return counter.sinceLastCall();
    }
}
