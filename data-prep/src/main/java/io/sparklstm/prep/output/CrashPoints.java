package io.sparklstm.prep.output;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection for crash-safety tests: named points in the writing of outputs, checkpoints and the model
 * registry at which a test stops the process, to check what a crash at that moment leaves behind. Every point
 * is a no-op unless armed, which only a test does:
 * <ul>
 *   <li>in a child process, with the JVM system properties {@value #POINT_PROPERTY}{@code =NAME[#N]} (the N-th
 *       time the point is reached; the first by default) and {@value #ACTION_PROPERTY}{@code =ACTION};</li>
 *   <li>in the test's own JVM, with {@link #arm(String, Action)}.</li>
 * </ul>
 * Actions: {@code pause:FILE} creates FILE, then waits while it exists (the test kills the process with
 * SIGKILL, or deletes FILE to let it go on); {@code halt} stops the JVM at once with exit code 137 (no finally
 * blocks, no shutdown hooks); {@code throw} throws {@link Crash}, an {@link Error} nothing catches, leaving
 * the files as they are (for tests of one component's intermediate states).
 *
 * <p>The points, in the order a retraining round reaches them:
 * <pre>
 *   lock.judged-stale              a stale registry lock was found, before it is broken
 *   retrain.locked                 the registry lock is held, nothing done yet
 *   retrain.trained                the challenger is trained and scored, nothing published
 *   registry.publish.staged        the new version is complete under its staging name, before the rename
 *   registry.publish.renamed       the new version is in place, CURRENT not yet changed
 *   registry.promote.renamed       CURRENT names the new version, the decision not yet recorded
 *   registry.record.renamed        the decision is recorded, retention not yet applied
 *   retrain.retained               retention applied, the lock not yet released
 *   replace-file:NAME              a new NAME (CURRENT, a history record, a manifest...) is written beside
 *                                  the old one, before it takes its place
 *   replace-directory:NAME         a new bundle directory NAME (model, best, a registry version...) is
 *                                  complete beside the old one, before it takes its place
 * </pre>
 */
public final class CrashPoints {

    public static final String POINT_PROPERTY = "spark-lstm.crashPoint";
    public static final String ACTION_PROPERTY = "spark-lstm.crashPoint.action";

    private static final Logger LOG = LoggerFactory.getLogger(CrashPoints.class);
    private static final long PAUSE_POLL_MILLIS = 50;

    /** What happens at an armed point. */
    public enum Kind { PAUSE, HALT, THROW }

    /** An action: its kind, and for {@link Kind#PAUSE} the file that announces the pause and holds it. */
    public record Action(Kind kind, Optional<Path> file) {
        public Action {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(file, "file");
            if ((kind == Kind.PAUSE) != file.isPresent()) {
                throw new IllegalArgumentException("a pause, and only a pause, names a file");
            }
        }

        public static Action pause(Path file) {
            return new Action(Kind.PAUSE, Optional.of(file));
        }

        public static Action halt() {
            return new Action(Kind.HALT, Optional.empty());
        }

        public static Action crash() {
            return new Action(Kind.THROW, Optional.empty());
        }

        /** {@code pause:FILE}, {@code halt} or {@code throw}, as {@value #ACTION_PROPERTY} takes it. */
        public static Action parse(String text) {
            if (text.startsWith("pause:") && text.length() > "pause:".length()) {
                return pause(Path.of(text.substring("pause:".length())));
            }
            return switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "halt" -> halt();
                case "throw" -> crash();
                default -> throw new IllegalArgumentException(ACTION_PROPERTY + " = " + text
                        + " is invalid: expected pause:FILE, halt or throw");
            };
        }

        /** As {@value #ACTION_PROPERTY} takes it. */
        public String text() {
            return kind == Kind.PAUSE ? "pause:" + file.get() : kind.name().toLowerCase(Locale.ROOT);
        }
    }

    /** Thrown at an armed point by the {@code throw} action: the process "dies" there. */
    public static final class Crash extends Error {
        public Crash(String point) {
            super("simulated crash at " + point);
        }
    }

    /** The armed point, its occurrence, its action, and how often it was reached. */
    private record Armed(String point, int occurrence, Action action, AtomicInteger hits) {
    }

    /** The armed point; null when none, as volatile state read at every point (an Optional would add nothing). */
    private static volatile Armed armed = fromSystemProperties().orElse(null);

    private CrashPoints() {
    }

    /** Marks a point; acts when it is the armed one, reached for the armed time. */
    public static void reach(String point) {
        Armed a = armed;
        if (a == null || !a.point().equals(point) || a.hits().incrementAndGet() != a.occurrence()) return;
        act(point, a.action());
    }

    /**
     * Arms {@code point} in this JVM ({@code NAME} or {@code NAME#N}) until the returned handle is closed;
     * for tests only.
     */
    public static Disarm arm(String point, Action action) {
        armed = parse(point, action);
        return () -> armed = null;
    }

    /** Disarms what {@link #arm} armed. */
    @FunctionalInterface
    public interface Disarm extends AutoCloseable {
        @Override
        void close();
    }

    /** The system properties that arm {@code point} with {@code action} in a child JVM, as {@code -D} options. */
    public static String jvmOptions(String point, Action action) {
        return "-D" + POINT_PROPERTY + "=" + point + " -D" + ACTION_PROPERTY + "=" + action.text();
    }

    private static Optional<Armed> fromSystemProperties() {
        String point = System.getProperty(POINT_PROPERTY, "").trim();
        if (point.isEmpty()) return Optional.empty();
        Action action = Action.parse(System.getProperty(ACTION_PROPERTY, "halt"));
        LOG.warn("crash point {} is armed ({}): this process stops there; a test set {}", point, action.text(),
                POINT_PROPERTY);
        return Optional.of(parse(point, action));
    }

    private static Armed parse(String point, Action action) {
        int hash = point.lastIndexOf('#');
        int occurrence = 1;
        if (hash > 0) {
            try {
                occurrence = Integer.parseInt(point.substring(hash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(POINT_PROPERTY + " = " + point + ": expected NAME or NAME#N", e);
            }
            point = point.substring(0, hash);
        }
        if (occurrence < 1) throw new IllegalArgumentException(POINT_PROPERTY + ": N must be at least 1");
        return new Armed(point, occurrence, action, new AtomicInteger());
    }

    private static void act(String point, Action action) {
        switch (action.kind()) {
            case HALT -> {
                LOG.warn("crash point {}: halting", point);
                Runtime.getRuntime().halt(137);
            }
            case THROW -> throw new Crash(point);
            case PAUSE -> pause(point, action.file().orElseThrow());
        }
    }

    private static void pause(String point, Path file) {
        try {
            Files.write(file, (point + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("crash point " + point + ": cannot create " + file, e);
        }
        LOG.warn("crash point {}: paused while {} exists", point, file);
        try {
            while (Files.exists(file)) Thread.sleep(PAUSE_POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.warn("crash point {}: going on", point);
    }
}
