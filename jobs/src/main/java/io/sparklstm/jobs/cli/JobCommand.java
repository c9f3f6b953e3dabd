package io.sparklstm.jobs.cli;

import io.sparklstm.jobs.config.ConfigException;
import io.sparklstm.jobs.config.JobConfig;
import io.sparklstm.jobs.spark.Causes;
import io.sparklstm.jobs.spark.SparkSessions;
import io.sparklstm.prep.io.HadoopPaths;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** A command that checks its configuration, then runs a Spark job and stops Spark whatever happens. */
abstract class JobCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Override
    public final Integer call() throws Exception {
        JobConfig config = loadConfig();
        validate(config);
        checkOutputs(config, SparkSessions.hadoopConfiguration(config.spark(), common.master));
        JavaSparkContext sc = start(config, common.master);
        StoppedContextWatch watch = StoppedContextWatch.start(sc, Thread.currentThread());
        try {
            return run(sc, config);
        } catch (Exception e) {
            watch.close();
            throw explainStopped(sc, e, watch.fired());
        } finally {
            watch.close();
            Thread.interrupted(); // an interrupt of the watch's that raced with the end of the command
            sc.stop();
        }
    }

    /**
     * Starts Spark. The cluster may give up on the application while Spark is still starting (the standalone client
     * stops the context from its own thread when the master refuses the driver or cannot be reached); the start then
     * fails with whatever the half-built context ran into first: "LiveListenerBus is stopped.", or a
     * NullPointerException from a part the stop had already taken down. On a cluster master such a failure is that
     * refusal, and says so.
     */
    private static JavaSparkContext start(JobConfig config, String masterOverride) {
        try {
            return SparkSessions.start(config.spark(), masterOverride);
        } catch (RuntimeException e) {
            String master = SparkSessions.master(config.spark(), masterOverride);
            boolean halfBuilt = !master.startsWith("local")
                    && (e instanceof NullPointerException || e instanceof IllegalStateException);
            if (ExitCodes.of(e) == ExitCodes.FAILURE && (halfBuilt || clusterGaveUp(e))) {
                throw refused("Spark stopped while it started", master, e);
            }
            throw e;
        }
    }

    /**
     * Spark stops the context itself when the cluster gives up on the application (a master that refuses the
     * driver's authentication, or cannot be reached); what the job then sees is a confusing follow-on error, or
     * nothing at all when the watch had to end its wait ({@link StoppedContextWatch}).
     */
    private static Exception explainStopped(JavaSparkContext sc, Exception e, boolean watchFired) {
        boolean explained = watchFired || (ExitCodes.of(e) == ExitCodes.FAILURE
                && (sc.sc().isStopped() || clusterGaveUp(e)));
        if (!explained) {
            return e;
        }
        return refused("Spark stopped under the job", sc.master(), e);
    }

    private static IllegalStateException refused(String what, String master, Exception cause) {
        return new IllegalStateException(what + ": the cluster refused the application or could not be reached "
                + "(master " + master + "; with spark.authenticate on, the driver and the cluster must share one "
                + "secret, see SPARK_LSTM_SECRET_FILE); the driver's log says more", cause);
    }

    /** Spark stops the context in another thread; the job may fail first, with the standalone client's reason. */
    private static boolean clusterGaveUp(Throwable e) {
        return Causes.of(e).map(c -> String.valueOf(c.getMessage())).anyMatch(message ->
                message.contains("All masters are unresponsive") || message.contains("Master removed our application")
                        || message.contains("Cannot call methods on a stopped SparkContext")
                        || message.contains("SparkContext was shut down")
                        || message.contains("LiveListenerBus is stopped"));
    }

    /** The configuration of this command: by default from {@code --conf} and {@code --set}. */
    JobConfig loadConfig() {
        return common.load();
    }

    /** Checks that need the configuration but no Spark; throw {@link ConfigException}. */
    void validate(JobConfig config) {
    }

    /**
     * Refuses outputs that must not or cannot be written, before Spark starts ({@code OutputRequest#check});
     * {@code hadoop} is the configuration the Spark context will have.
     */
    void checkOutputs(JobConfig config, Configuration hadoop) {
    }

    abstract int run(JavaSparkContext sc, JobConfig config) throws Exception;

    static String qualify(JavaSparkContext sc, String path) {
        return HadoopPaths.qualify(path, sc.hadoopConfiguration());
    }

    static String qualify(Configuration hadoop, String path) {
        return HadoopPaths.qualify(path, hadoop);
    }

    static void requireInput(JobConfig config) {
        if (config.prepare().input().path().isEmpty()) {
            throw new ConfigException("input.path: required: the raw data to prepare (set it in --conf or with "
                    + "--set input.path=...)");
        }
    }
}
