package io.sparklstm.jobs.registry;

import io.sparklstm.model.Json;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lock of a registry: a {@code LOCK} file created only if absent (an atomic create on HDFS), holding who
 * took it. A lock is stale, and is broken, when its owner ran on this host and is no longer alive, or when it
 * is older than the configured age (a run on another host that crashed). Closing releases it.
 */
public final class RegistryLock implements AutoCloseable {

    static final String FILE = "LOCK";

    private final Path path;
    private final Configuration conf;
    private final Map<String, Object> owner;
    private final Optional<Map<String, Object>> broken;

    private RegistryLock(Path path, Configuration conf, Map<String, Object> owner, Optional<Map<String, Object>> broken) {
        this.path = path;
        this.conf = conf;
        this.owner = owner;
        this.broken = broken;
    }

    /** Takes the lock of the registry at {@code dir}, breaking a stale one; fails when a live run holds it. */
    static RegistryLock acquire(Path dir, Configuration conf, String purpose, Duration staleAfter) {
        Path path = new Path(dir, FILE);
        Map<String, Object> owner = new LinkedHashMap<>();
        owner.put("host", hostName());
        owner.put("pid", ProcessHandle.current().pid());
        owner.put("purpose", purpose);
        owner.put("acquiredAtMillis", System.currentTimeMillis());
        try {
            FileSystem fs = path.getFileSystem(conf);
            fs.mkdirs(dir);
            if (tryCreate(fs, path, owner)) {
                return new RegistryLock(path, conf, owner, Optional.empty());
            }
            Map<String, Object> holder = read(fs, path);
            String why = staleness(holder, staleAfter);
            if (why == null) {
                throw new RegistryLockedException(dir + " is locked by " + describe(holder) + "; another run is using this "
                        + "registry (if it crashed, the lock is broken automatically after "
                        + staleAfter.toMinutes() + " minutes, or delete " + path + ")");
            }
            io.sparklstm.prep.output.CrashPoints.reach("lock.judged-stale");
            if (!fs.delete(path, false) || !tryCreate(fs, path, owner)) {
                throw new RegistryException(dir + ": lost the race for a stale lock to another run");
            }
            Map<String, Object> brokenLock = new LinkedHashMap<>(holder);
            brokenLock.put("brokenBecause", why);
            return new RegistryLock(path, conf, owner, Optional.of(brokenLock));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The stale lock this one replaced, with the reason it was judged stale. */
    public Optional<Map<String, Object>> broken() {
        return broken;
    }

    @Override
    public void close() {
        try {
            FileSystem fs = path.getFileSystem(conf);
            if (fs.exists(path) && isOwner(read(fs, path))) {
                fs.delete(path, false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release " + path + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code holder}, as read back from the lock file, is this lock (JSON numbers come back narrower). */
    private boolean isOwner(Map<String, Object> holder) {
        for (String key : List.of("host", "pid", "acquiredAtMillis")) {
            if (!String.valueOf(owner.get(key)).equals(String.valueOf(holder.get(key)))) return false;
        }
        return true;
    }

    private static boolean tryCreate(FileSystem fs, Path path, Map<String, Object> owner) throws IOException {
        if (fs.exists(path)) return false;
        try (FSDataOutputStream out = fs.create(path, false)) {
            out.write(Json.mapper().writeValueAsBytes(owner));
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(FileSystem fs, Path path) throws IOException {
        try (InputStream in = fs.open(path)) {
            return Json.mapper().readValue(in, LinkedHashMap.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            return Map.of("unreadable", e.getOriginalMessage(), "acquiredAtMillis",
                    fs.getFileStatus(path).getModificationTime());
        }
    }

    /** Why the lock {@code holder} is stale, or null when it may still be in use. */
    static String staleness(Map<String, Object> holder, Duration staleAfter) {
        if (hostName().equals(holder.get("host")) && holder.get("pid") instanceof Number pid
                && ProcessHandle.of(pid.longValue()).map(p -> !p.isAlive()).orElse(true)) {
            return "process " + pid + " on " + holder.get("host") + " is gone";
        }
        if (holder.get("acquiredAtMillis") instanceof Number at
                && System.currentTimeMillis() - at.longValue() > staleAfter.toMillis()) {
            return "taken more than " + staleAfter.toMinutes() + " minutes ago";
        }
        return null;
    }

    private static String describe(Map<String, Object> holder) {
        Object purpose = holder.get("purpose");
        return "process " + holder.get("pid") + " on " + holder.get("host") + (purpose == null ? "" : " (" + purpose + ")");
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }
}
