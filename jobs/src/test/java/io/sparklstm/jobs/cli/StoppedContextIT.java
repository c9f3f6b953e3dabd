package io.sparklstm.jobs.cli;

import io.sparklstm.jobs.config.JobConfig;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A command whose Spark context is stopped under it while it waits, as when a standalone master refuses the
 * application just as the first job is submitted: the command ends with the refusal explained, it does not hang.
 */
class StoppedContextIT {

    /** Stops its context from another thread, as Spark's client does, then waits as a dropped job's caller would. */
    static final class WaitsOnAStoppedContext extends JobCommand {
        WaitsOnAStoppedContext() {
            common = new CommonOptions();
            common.master = "local[1]";
            common.overrides = List.of("spark.conf.\"spark.ui.enabled\"=false",
                    "spark.conf.\"spark.driver.host\"=127.0.0.1", "spark.conf.\"spark.driver.bindAddress\"=127.0.0.1");
        }

        @Override
        int run(JavaSparkContext sc, JobConfig config) throws Exception {
            Thread stopper = new Thread(sc::stop, "standalone-app-client-gives-up");
            stopper.start();
            stopper.join();
            new CountDownLatch(1).await(); // no one will count it down: the job's submission was dropped
            return ExitCodes.OK;
        }
    }

    /** A command whose context the cluster stops while Spark is still building it. */
    static final class ContextStoppedWhileStarting extends JobCommand {
        ContextStoppedWhileStarting() {
            common = new CommonOptions();
            common.master = GivesUpDuringStart.MASTER;
            common.overrides = List.of("spark.conf.\"spark.ui.enabled\"=false",
                    "spark.conf.\"spark.driver.host\"=127.0.0.1", "spark.conf.\"spark.driver.bindAddress\"=127.0.0.1");
        }

        @Override
        int run(JavaSparkContext sc, JobConfig config) {
            throw new AssertionError("the context never started, so the command must not run");
        }
    }

    /**
     * The race CI met: the standalone client gave up on a refused driver while Spark was still building the context,
     * which then failed with "LiveListenerBus is stopped."; that too is the refusal, explained, exit code 1.
     */
    @Test
    void aContextStoppedByTheClusterWhileStartingEndsWithTheRefusalExplained() {
        Exception e = refusalExplained(new ContextStoppedWhileStarting(), 60);
        assertTrue(e.getMessage().contains("master " + GivesUpDuringStart.MASTER), e.getMessage());
    }

    @Test
    void aCommandWaitingOnAContextStoppedUnderItEndsWithTheRefusalExplained() {
        refusalExplained(new WaitsOnAStoppedContext(), 30);
    }

    /** Runs {@code command}, which must end within {@code seconds} with exit code 1 and the refusal explained. */
    private static Exception refusalExplained(JobCommand command, int seconds) {
        Exception e = assertTimeoutPreemptively(Duration.ofSeconds(seconds),
                () -> assertThrows(Exception.class, command::call));
        assertEquals(ExitCodes.FAILURE, ExitCodes.of(e));
        assertTrue(e.getMessage().contains("the cluster refused the application or could not be reached"),
                e.getMessage());
        return e;
    }
}
