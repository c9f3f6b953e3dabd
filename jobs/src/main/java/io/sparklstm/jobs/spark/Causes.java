package io.sparklstm.jobs.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The chain of causes of a failure, outermost first. What explains a failure is often inside: Spark wraps a task's
 * exception in its own, ND4J puts its message on an inner exception.
 */
public final class Causes {

    private Causes() {
    }

    /** {@code failure} and its causes, each once (a cause that refers back into the chain ends it). */
    public static Stream<Throwable> of(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable c = failure; c != null && seen.add(c); c = c.getCause()) {
            chain.add(c);
        }
        return chain.stream();
    }
}
