package io.sparklstm.jobs.cli;

import io.sparklstm.jobs.config.ConfigException;
import io.sparklstm.jobs.spark.Causes;
import io.sparklstm.jobs.train.TrainingDivergedException;
import io.sparklstm.prep.config.InvalidSettingsException;
import io.sparklstm.prep.io.InputDataException;
import io.sparklstm.prep.output.OutputRefusedException;
import picocli.CommandLine;

/** The contract of DESIGN.md: what each failure exits with. */
public final class ExitCodes {

    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;
    public static final int INPUT_DATA = 3;
    public static final int TRAINING_FAILED = 4;
    /** retrain: the challenger was not promoted; the champion stays in service. Not a failure. */
    public static final int KEPT_CHAMPION = 10;
    /** retrain: another live run holds the registry's lock; try again later (sysexits' EX_TEMPFAIL). */
    public static final int REGISTRY_LOCKED = 75;

    private ExitCodes() {
    }

    /** The failure that explains an exception: it may be wrapped, e.g. by Spark around a task failure. */
    public static Throwable rootCause(Throwable t) {
        return Causes.of(t).filter(c -> codeOf(c) != FAILURE).findFirst().orElse(t);
    }

    public static int of(Throwable t) {
        return codeOf(rootCause(t));
    }

    private static int codeOf(Throwable t) {
        if (t instanceof ConfigException || t instanceof InvalidSettingsException || t instanceof OutputRefusedException
                || t instanceof CommandLine.ParameterException) {
            return USAGE;
        }
        if (t instanceof InputDataException) {
            return INPUT_DATA;
        }
        if (t instanceof TrainingDivergedException) {
            return TRAINING_FAILED;
        }
        if (t instanceof io.sparklstm.jobs.registry.RegistryLockedException) {
            return REGISTRY_LOCKED;
        }
        return FAILURE;
    }
}
