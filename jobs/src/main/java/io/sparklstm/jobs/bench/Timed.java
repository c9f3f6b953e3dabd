package io.sparklstm.jobs.bench;

/** Runs an action repeatedly for about a given time, after warm-up runs, and reports the rate. */
final class Timed {

    /** An action that can throw. */
    interface Action {
        void run() throws Exception;
    }

    private Timed() {
    }

    /** Calls per second of {@code action}: {@code warmups} untimed calls, then calls for at least {@code seconds}. */
    static double callsPerSecond(Action action, int warmups, double seconds) throws Exception {
        for (int i = 0; i < warmups; i++) action.run();
        long budget = (long) (seconds * 1e9);
        long start = System.nanoTime();
        long calls = 0;
        long elapsed;
        do {
            action.run();
            calls++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < budget);
        return calls / (elapsed / 1e9);
    }
}
