package io.sparklstm.jobs.cli;

import io.sparklstm.jobs.spark.Causes;
import io.sparklstm.prep.io.InputDataException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.filter.AbstractFilter;

import java.beans.PropertyChangeEvent;
import java.beans.PropertyChangeListener;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps Spark's reports of a task that failed on bad input data off the console. Such a failure ends the
 * command with one line naming the file and line (exit 3); before it, Spark logs the same error with stack
 * traces: the executor's {@code ERROR Executor: Exception in task}, the driver's {@code WARN TaskSetManager:
 * Lost task} (the trace is in the message text, as it comes from a remote executor), a failed cache block, and
 * the stage's {@code ERROR TaskSetManager: ... aborting job}. This filter drops those, and only those: an event
 * whose exception has an {@link InputDataException} in its causes, or whose text names one, then the abort of the
 * stage and the removal of the block such an event named. Every other error stays on the console; file appenders
 * are not touched, so a log file keeps everything. {@code --verbose} runs without it.
 */
final class InputErrorLogFilter extends AbstractFilter {

    private static final String INPUT_ERROR = InputDataException.class.getName();
    private static final Pattern STAGE = Pattern.compile("in stage (\\d+(?:\\.\\d+)?)");
    private static final Pattern BLOCK = Pattern.compile("^Putting block (\\S+) failed");
    private static final Pattern ABORT = Pattern.compile("^Task \\d+ in stage (\\S+) failed \\d+ times?; aborting job");
    private static final Pattern NOT_REMOVED = Pattern.compile("^Block (\\S+) could not be removed");

    /** Stages and blocks named by a dropped event, whose follow-up events go too. */
    private final Set<String> stages = ConcurrentHashMap.newKeySet();
    private final Set<String> blocks = ConcurrentHashMap.newKeySet();

    @Override
    public Result filter(LogEvent event) {
        String message = event.getMessage() == null ? "" : event.getMessage().getFormattedMessage();
        if (causedByInputError(event.getThrown()) || message.contains(INPUT_ERROR)) {
            remember(STAGE.matcher(message), stages);
            remember(BLOCK.matcher(message), blocks);
            return Result.DENY;
        }
        return follows(ABORT.matcher(message), stages) || follows(NOT_REMOVED.matcher(message), blocks)
                ? Result.DENY : Result.NEUTRAL;
    }

    private static boolean causedByInputError(Throwable t) {
        return Causes.of(t).anyMatch(c -> c instanceof InputDataException);
    }

    private static void remember(Matcher m, Set<String> names) {
        if (m.find()) names.add(m.group(1));
    }

    private static boolean follows(Matcher m, Set<String> names) {
        return m.find() && names.contains(m.group(1));
    }

    /**
     * Puts a new filter on every console appender of Log4j's configuration, and on those of any configuration
     * that replaces it (Spark installs its default one when it finds none); closing takes it off again. Where
     * Log4j 2 is not the logging backend, nothing happens.
     */
    static Installed installOnConsole() {
        if (!(LogManager.getContext(false) instanceof LoggerContext context)) {
            return () -> {
            };
        }
        InputErrorLogFilter filter = new InputErrorLogFilter();
        filter.start();
        PropertyChangeListener reconfigured = (PropertyChangeEvent e) -> {
            if (LoggerContext.PROPERTY_CONFIG.equals(e.getPropertyName()) && e.getNewValue() instanceof Configuration c) {
                filter.attach(c);
            }
        };
        filter.attach(context.getConfiguration());
        context.addPropertyChangeListener(reconfigured);
        return () -> {
            context.removePropertyChangeListener(reconfigured);
            filter.detach(context.getConfiguration());
            filter.stop();
        };
    }

    private void attach(Configuration configuration) {
        for (Appender appender : configuration.getAppenders().values()) {
            if (appender instanceof ConsoleAppender console) {
                // once only: addFilter combines it with whatever filters the appender has
                console.removeFilter(this);
                console.addFilter(this);
            }
        }
    }

    private void detach(Configuration configuration) {
        for (Appender appender : configuration.getAppenders().values()) {
            if (appender instanceof ConsoleAppender console) console.removeFilter(this);
        }
    }

    /** The filter, installed; closing uninstalls it. */
    interface Installed extends AutoCloseable {
        @Override
        void close();
    }
}
