package io.sparklstm.prep;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of the preparation integration tests: one small local Spark per test class. */
public abstract class SparkPrepareIT {

    protected static JavaSparkContext sc;

    @BeforeAll
    static void startSpark() {
        sc = SparkTestContext.start();
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    /** The input error behind a failure, which Spark may have wrapped. */
    protected static InputDataException inputError(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof InputDataException ide) return ide;
        }
        throw new AssertionError("no InputDataException in the cause chain of " + t, t);
    }
}
