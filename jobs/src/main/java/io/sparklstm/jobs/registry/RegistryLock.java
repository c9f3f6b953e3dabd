package io.sparklstm.jobs.registry;

import io.sparklstm.model.Json;
import io.sparklstm.prep.output.AtomicWrites;
import io.sparklstm.prep.output.CrashPoints;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The lock of a registry, a lease: the file {@code LOCK}, created only if absent (written beside, then
 * {@link AtomicWrites#claim claimed}: link(2) locally, a rename without overwrite on HDFS), naming its owner
 * (host, process id and start time, a random token, purpose). While held it is renewed by a heartbeat, which
 * touches the file's modification time every quarter of the stale age.
 *
 * <p>A lock is stale, and is broken, when its owner's process on this host is gone (or its id now belongs to
 * another process), or when it has not been renewed for the stale age (its holder crashed on another host, or
 * hangs). A live, renewing holder keeps its lock however long its round runs. Breaking is a rename of the
 * stale {@code LOCK} to a unique name, then a check that the file moved is the very lock judged stale, not
 * renewed since (else it goes back), then a new {@code LOCK} created only if absent: of two runs breaking one
 * stale lock, one gets it.
 *
 * <p>Fencing: {@link #checkHeld()} renews the lease and checks that {@code LOCK} still holds this lock's token
 * and that the lease is younger than half its stale age; the registry calls it right before each write, and a run
 * that lost its lock stops there ({@link RegistryLockLostException}) without writing. The check and the write
 * that follows are two operations: the guarantee rests on a lease being broken only after a full stale age
 * without renewal, with clocks that agree to well within half of it.
 */
public final class RegistryLock implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryLock.class);
    static final String FILE = "LOCK";
    private static final int ATTEMPTS = 3;

    private final Path path;
    private final Configuration conf;
    private final LockOwner owner;
    private final Duration staleAfter;
    // the lock file as found, plus why it was judged stale: recorded as is in the round's history
    private final Optional<Map<String, Object>> broken;
    private final ScheduledExecutorService heartbeat;
    private volatile long renewedAtNanos;
    private volatile String lost;

    private RegistryLock(Path path, Configuration conf, LockOwner owner, Duration staleAfter,
                         Optional<Map<String, Object>> broken) {
        this.path = path;
        this.conf = conf;
        this.owner = owner;
        this.staleAfter = staleAfter;
        this.broken = broken;
        this.renewedAtNanos = System.nanoTime();
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "registry-lock-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long periodMillis = Math.max(1, staleAfter.toMillis() / 4);
        heartbeat.scheduleAtFixedRate(this::heartbeat, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Takes the lock of the registry at {@code dir}, breaking a stale one; fails when a live run holds it. */
    static RegistryLock acquire(Path dir, Configuration conf, String purpose, Duration staleAfter) {
        Path path = new Path(dir, FILE);
        LockOwner owner = LockOwner.ofThisProcess(purpose);
        try {
            FileSystem fs = path.getFileSystem(conf);
            fs.mkdirs(dir);
            byte[] content = owner.toJson();
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                if (create(path, content, conf)) {
                    return new RegistryLock(path, conf, owner, staleAfter, Optional.empty());
                }
                Optional<Held> holder = Held.read(fs, path);
                if (holder.isEmpty()) continue; // released meanwhile: try again
                Optional<String> stale = staleness(holder.get(), staleAfter);
                if (stale.isEmpty()) {
                    throw new RegistryLockedException(dir + " is locked by " + describe(holder.get().owner())
                            + ", renewed " + ageSeconds(holder.get()) + " s ago; another run is using this registry "
                            + "(a lock not renewed for " + minutes(staleAfter) + " is broken automatically)");
                }
                String why = stale.get();
                CrashPoints.reach("lock.judged-stale");
                if (breakStale(fs, path, holder.get(), conf) && create(path, content, conf)) {
                    Map<String, Object> brokenLock = new LinkedHashMap<>(holder.get().owner());
                    brokenLock.put("brokenBecause", why);
                    LOG.warn("registry: broke the stale lock of {}: {}", describe(holder.get().owner()), why);
                    return new RegistryLock(path, conf, owner, staleAfter, Optional.of(brokenLock));
                }
                throw new RegistryLockedException(dir + ": another run took the lock of "
                        + describe(holder.get().owner()) + " (stale: " + why + ") first; try again later");
            }
            throw new RegistryLockedException(dir + ": the lock keeps changing hands; try again later");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The stale lock this one replaced, with the reason it was judged stale. */
    public Optional<Map<String, Object>> broken() {
        return broken;
    }

    /** This lock's random token, unique to this holding. */
    public String token() {
        return owner.token();
    }

    /** Whether this lock is on the registry at {@code dir}. */
    boolean locks(Path dir) {
        return path.getParent().equals(dir);
    }

    /**
     * Renews the lease and checks that this run still holds it; throws {@link RegistryLockLostException} when
     * it does not. Called right before every write to the registry.
     */
    public void checkHeld() {
        try {
            renew();
        } catch (RuntimeException e) {
            LOG.warn("registry: cannot renew the lock {}: {}", path, e.toString()); // the lease's age decides
        }
        if (lost == null && System.nanoTime() - renewedAtNanos > staleAfter.toNanos() / 2) {
            lost = "not renewed for " + (System.nanoTime() - renewedAtNanos) / 1_000_000_000 + " s, more than half "
                    + "its stale age of " + minutes(staleAfter) + ": another run may judge it stale";
        }
        if (lost != null) {
            throw new RegistryLockLostException("the lock of " + path.getParent() + " was lost (" + lost + "); this "
                    + "run stops without writing to the registry, the round is left to the run that holds it");
        }
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
        if (lost != null) return;
        try {
            FileSystem fs = path.getFileSystem(conf);
            Optional<Held> holder = Held.read(fs, path);
            if (holder.isPresent() && isMine(holder.get())) fs.delete(path, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release " + path + ": " + e.getMessage(), e);
        }
    }

    private void heartbeat() {
        try {
            renew();
        } catch (RuntimeException e) {
            LOG.warn("registry: cannot renew the lock {}: {}", path, e.toString());
        }
    }

    /**
     * Touches {@code LOCK}, then checks that it is this lock: touching a lock that another run took meanwhile
     * only delays its breaking by one renewal.
     */
    private synchronized void renew() {
        if (lost != null) return;
        long started = System.nanoTime();
        try {
            FileSystem fs = path.getFileSystem(conf);
            IOException touchFailed = null;
            long touchedAtMillis = System.currentTimeMillis();
            try {
                fs.setTimes(path, touchedAtMillis, -1);
            } catch (IOException e) {
                touchFailed = e;
            }
            Optional<Held> holder = Held.read(fs, path);
            if (holder.isEmpty()) {
                lost = "its file " + path + " is gone";
            } else if (!isMine(holder.get())) {
                lost = "taken over by " + describe(holder.get().owner());
            } else if (touchFailed != null) {
                throw touchFailed;
            } else {
                if (holder.get().renewedAtMillis() < touchedAtMillis - 1_000) {
                    // a filesystem whose setTimes does nothing (s3a): rewrite the lock to renew it
                    AtomicWrites.replaceFile(path, owner.toJson(), conf);
                }
                renewedAtNanos = started;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot renew " + path + ": " + e.getMessage(), e);
        }
        if (lost != null) LOG.error("registry: lost the lock {}: {}", path, lost);
    }

    private boolean isMine(Held holder) {
        return token().equals(String.valueOf(holder.owner().get("token")));
    }

    /**
     * Breaks the stale lock {@code judged}: renames it to a unique name, and keeps it broken only when the
     * file moved is that lock, not renewed since; anything else is put back. Returns whether it broke it.
     */
    private static boolean breakStale(FileSystem fs, Path path, Held judged, Configuration conf) throws IOException {
        Path aside = new Path(path.getParent(), "." + FILE + ".broken-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            if (!AtomicWrites.claim(path, aside, conf)) return false;
        } catch (FileNotFoundException e) {
            return false; // released or broken by another run meanwhile
        }
        Optional<Held> moved = Held.read(fs, aside);
        if (moved.isPresent() && moved.get().sameAs(judged)) {
            fs.delete(aside, false);
            return true;
        }
        if (!AtomicWrites.claim(aside, path, conf)) {
            LOG.warn("registry: moved a newer lock to {} and cannot put it back: its holder will find it lost", aside);
        }
        return false;
    }

    private static boolean create(Path path, byte[] content, Configuration conf) throws IOException {
        Path beside = AtomicWrites.writeBeside(path, content, conf);
        if (AtomicWrites.claim(beside, path, conf)) return true;
        path.getFileSystem(conf).delete(beside, false);
        return false;
    }

    /**
     * A lock as found: its owner and the time it was last renewed (the file's modification time). The owner is the
     * JSON object the file holds, not a {@link LockOwner}: another build or a hand may have written it with other
     * or fewer keys, and a broken lock is recorded in the history as it was found.
     */
    record Held(Map<String, Object> owner, long renewedAtMillis) {

        /** The lock at {@code path}; empty when there is none. A lock being written reads as its file's age. */
        @SuppressWarnings("unchecked")
        static Optional<Held> read(FileSystem fs, Path path) throws IOException {
            try {
                FileStatus status = fs.getFileStatus(path);
                Map<String, Object> owner;
                try (InputStream in = fs.open(path)) {
                    owner = Json.mapper().readValue(in, LinkedHashMap.class);
                } catch (com.fasterxml.jackson.core.JacksonException e) {
                    owner = Map.of("unreadable", String.valueOf(e.getOriginalMessage()));
                }
                return Optional.of(new Held(owner, status.getModificationTime()));
            } catch (FileNotFoundException e) {
                return Optional.empty();
            }
        }

        /** The same holding, not renewed since: same owner fields and the same modification time. */
        boolean sameAs(Held other) {
            return owner.equals(other.owner) && renewedAtMillis == other.renewedAtMillis;
        }
    }

    /** Why the lock {@code holder} is stale; empty when it may still be in use. */
    static Optional<String> staleness(Held holder, Duration staleAfter) {
        Map<String, Object> owner = holder.owner();
        if (hostName().equals(owner.get("host")) && owner.get("pid") instanceof Number pid) {
            Optional<ProcessHandle> process = ProcessHandle.of(pid.longValue()).filter(ProcessHandle::isAlive);
            if (process.isEmpty()) return Optional.of("process " + pid + " on " + owner.get("host") + " is gone");
            if (owner.get("processStartMillis") instanceof Number start && process.get().info().startInstant()
                    .map(t -> t.toEpochMilli() != start.longValue()).orElse(false)) {
                return Optional.of("process " + pid + " on " + owner.get("host")
                        + " is gone (its id now names another process)");
            }
        }
        if (System.currentTimeMillis() - holder.renewedAtMillis() > staleAfter.toMillis()) {
            return Optional.of("not renewed for more than " + minutes(staleAfter));
        }
        return Optional.empty();
    }

    private static long ageSeconds(Held holder) {
        return Math.max(0, (System.currentTimeMillis() - holder.renewedAtMillis()) / 1000);
    }

    private static String minutes(Duration d) {
        return d.toSeconds() % 60 == 0 ? d.toMinutes() + " minutes" : d.toMillis() / 1000.0 + " s";
    }

    private static String describe(Map<String, Object> holder) {
        Object purpose = holder.get("purpose");
        return "process " + holder.get("pid") + " on " + holder.get("host")
                + (purpose == null ? "" : " (" + purpose + ")");
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }
}
