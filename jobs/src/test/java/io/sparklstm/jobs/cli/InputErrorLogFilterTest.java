package io.sparklstm.jobs.cli;

import io.sparklstm.prep.io.InputDataException;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.filter.CompositeFilter;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which of Spark's task-failure logs leave the console, as Spark 3.5 words them. */
class InputErrorLogFilterTest {

    private static final String BAD_ROW = "file:/data/control.data:42: value 61: 'oops' is not a finite number in: 1 2";
    /** A task failure as the driver gets it from an executor: the exception and its trace, as text. */
    private static final String REMOTE_TRACE = InputDataException.class.getName() + ": " + BAD_ROW
            + "\n\tat io.sparklstm.prep.ParsedLine.orFail(ParsedLine.java:32)\n";

    private final InputErrorLogFilter filter = new InputErrorLogFilter();

    private static LogEvent event(String logger, Level level, String message, Throwable thrown) {
        return Log4jLogEvent.newBuilder().setLoggerName(logger).setLevel(level)
                .setMessage(new SimpleMessage(message)).setThrown(thrown).build();
    }

    private Filter.Result filter(String logger, Level level, String message, Throwable thrown) {
        return filter.filter(event("org.apache.spark." + logger, level, message, thrown));
    }

    @Test
    void theExecutorsErrorWithAnInputErrorInItsCausesIsDropped() {
        assertEquals(Filter.Result.DENY, filter("executor.Executor", Level.ERROR,
                "Exception in task 0.0 in stage 1.0 (TID 2)", new InputDataException(BAD_ROW)));
        assertEquals(Filter.Result.DENY, filter("executor.Executor", Level.ERROR,
                "Exception in task 1.0 in stage 4.0 (TID 9)",
                new RuntimeException("wrapped", new InputDataException(BAD_ROW))));
    }

    @Test
    void aLostTaskNamingAnInputErrorAndTheAbortOfItsStageAreDropped() {
        assertEquals(Filter.Result.DENY, filter("scheduler.TaskSetManager", Level.WARN,
                "Lost task 0.0 in stage 1.0 (TID 2) (10.0.0.5 executor 1): " + REMOTE_TRACE, null));
        assertEquals(Filter.Result.DENY, filter("scheduler.TaskSetManager", Level.WARN,
                "Lost task 1.0 in stage 1.0 (TID 3) (10.0.0.5 executor 1): TaskKilled (Stage cancelled: Job aborted"
                        + " due to stage failure: " + REMOTE_TRACE + ")", null));
        assertEquals(Filter.Result.DENY, filter("scheduler.TaskSetManager", Level.ERROR,
                "Task 0 in stage 1.0 failed 4 times; aborting job", null));
        assertEquals(Filter.Result.NEUTRAL, filter("scheduler.TaskSetManager", Level.ERROR,
                "Task 0 in stage 2.0 failed 4 times; aborting job", null), "another stage's abort stays");
    }

    @Test
    void aCacheBlockThatFailedOnAnInputErrorAndItsRemovalAreDropped() {
        assertEquals(Filter.Result.DENY, filter("storage.BlockManager", Level.WARN,
                "Putting block rdd_6_0 failed due to exception " + InputDataException.class.getName() + ": "
                        + BAD_ROW + ".", null));
        assertEquals(Filter.Result.DENY, filter("storage.BlockManager", Level.WARN,
                "Block rdd_6_0 could not be removed as it was not found on disk or in memory", null));
        assertEquals(Filter.Result.NEUTRAL, filter("storage.BlockManager", Level.WARN,
                "Block rdd_7_1 could not be removed as it was not found on disk or in memory", null));
    }

    @Test
    void unexpectedTaskFailuresStayOnTheConsole() {
        assertEquals(Filter.Result.NEUTRAL, filter("executor.Executor", Level.ERROR,
                "Exception in task 0.0 in stage 3.0 (TID 7)", new IllegalStateException("a bug")));
        assertEquals(Filter.Result.NEUTRAL, filter("scheduler.TaskSetManager", Level.WARN,
                "Lost task 0.0 in stage 3.0 (TID 7) (10.0.0.5 executor 1): java.lang.IllegalStateException: a bug",
                null));
        assertEquals(Filter.Result.NEUTRAL, filter("scheduler.TaskSetManager", Level.ERROR,
                "Task 0 in stage 3.0 failed 1 times; aborting job", null));
    }

    @Test
    void installedOnTheConsoleAppendersOnceAndAfterAReconfigurationUntilClosed() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        try (InputErrorLogFilter.Installed quiet = InputErrorLogFilter.installOnConsole()) {
            assertTrue(consoles(context).stream().allMatch(c -> filters(c).size() == 1), "one filter each");
            context.reconfigure();
            List<ConsoleAppender> replaced = consoles(context);
            assertFalse(replaced.isEmpty(), "the test configuration logs to the console");
            assertTrue(replaced.stream().allMatch(c -> filters(c).size() == 1), "again after reconfiguring");
        }
        assertTrue(consoles(context).stream().allMatch(c -> filters(c).isEmpty()), "taken off when closed");
    }

    private static List<ConsoleAppender> consoles(LoggerContext context) {
        return context.getConfiguration().getAppenders().values().stream()
                .filter(a -> a instanceof ConsoleAppender).map(a -> (ConsoleAppender) a).toList();
    }

    private static List<Filter> filters(ConsoleAppender console) {
        Filter f = console.getFilter();
        if (f == null) return List.of();
        List<Filter> all = f instanceof CompositeFilter c ? Arrays.asList(c.getFiltersArray()) : List.of(f);
        return all.stream().filter(x -> x instanceof InputErrorLogFilter).toList();
    }
}
