package io.sparklstm.jobs.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line live progress display for a terminal: the epoch, a bar over its averaging rounds, examples
 * fitted and the time left for the whole run, redrawn in place after every round. The time left is the
 * elapsed time scaled by the fraction of this session's rounds still to go (a resumed run counts from where
 * it resumed). Off when the output is not a terminal, so logs and CI output stay free of carriage returns.
 */
final class ProgressDisplay {

    private static final int BAR = 24;

    private final PrintStream out;
    private final LongSupplier nanos;
    private final boolean enabled;
    private final long started;
    private final int firstEpoch;
    private final int epochs;
    private int epoch;
    private int rounds;
    private int lineLength;

    ProgressDisplay(PrintStream out, LongSupplier nanos, boolean enabled, int firstEpoch, int epochs) {
        this.out = out;
        this.nanos = nanos;
        this.enabled = enabled;
        this.started = nanos.getAsLong();
        this.firstEpoch = firstEpoch;
        this.epochs = epochs;
    }

    /** The display {@code training.progress} asks for, on stderr. */
    static ProgressDisplay forMode(String mode, int firstEpoch, int epochs) {
        boolean on = switch (mode) {
            case "ALWAYS" -> true;
            case "NEVER" -> false;
            default -> System.console() != null;
        };
        return new ProgressDisplay(System.err, System::nanoTime, on, firstEpoch, epochs);
    }

    /** Epoch {@code epoch} (0-based) starts, in {@code rounds} averaging rounds. */
    void epochStarted(int epoch, int rounds) {
        this.epoch = epoch;
        this.rounds = Math.max(1, rounds);
        roundDone(0, 0);
    }

    /** {@code done} rounds of the current epoch are fitted, {@code examples} examples in all. */
    void roundDone(int done, long examples) {
        if (!enabled) return;
        double fraction = Math.min(1.0, (double) done / rounds);
        double runFraction = (epoch - firstEpoch + fraction) / Math.max(1, epochs - firstEpoch);
        double elapsed = (nanos.getAsLong() - started) / 1e9;
        String left = runFraction > 0 ? duration(elapsed * (1 - runFraction) / runFraction) : "--";
        int filled = (int) Math.round(fraction * BAR);
        String line = String.format(Locale.ROOT, "epoch %d/%d [%s%s] round %d/%d, %d examples, %s elapsed, %s left",
                epoch + 1, epochs, "#".repeat(filled), ".".repeat(BAR - filled), done, rounds, examples,
                duration(elapsed), left);
        draw(line);
    }

    /** Removes the line, so that a log line can take its place. */
    void clear() {
        if (!enabled || lineLength == 0) return;
        out.print("\r" + " ".repeat(lineLength) + "\r");
        out.flush();
        lineLength = 0;
    }

    private void draw(String line) {
        int pad = Math.max(0, lineLength - line.length());
        out.print("\r" + line + " ".repeat(pad));
        out.flush();
        lineLength = line.length();
    }

    /** 75 s as {@code 1m15s}, 3,700 s as {@code 1h01m}. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) return s + "s";
        if (s < 3600) return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
