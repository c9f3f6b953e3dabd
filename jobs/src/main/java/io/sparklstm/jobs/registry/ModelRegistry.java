package io.sparklstm.jobs.registry;

import io.sparklstm.jobs.config.ConfigException;
import io.sparklstm.jobs.train.RunDirectory;
import io.sparklstm.model.Json;
import io.sparklstm.model.bundle.ModelBundle;
import io.sparklstm.prep.output.PreparedOutput;
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
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One model's registry, {@code <root>/<name>/}:
 * <pre>
 *   versions/&lt;n&gt;/          a complete bundle (network.zip, bundle.json) and version.json (metrics, provenance,
 *                           data fingerprint, parent version); written under a staging name unique to the run,
 *                           then renamed to its number only if that number is free
 *   CURRENT                 the number of the version in service, replaced in one rename
 *   history/&lt;seq&gt;.json     one decision per file, created only if absent, read in the order of seq
 *   history.jsonl           the history of registries written before history/ (read first, never written)
 *   LOCK                    the lease of the run acting on the registry ({@link RegistryLock})
 * </pre>
 * Every write takes the run's lock, and checks it is still held right before it renames anything into place
 * ({@link RegistryLock#checkHeld()}): a run that lost its lock writes nothing. A crash at any moment leaves
 * {@code CURRENT} naming a complete version (or absent when none was ever promoted), every recorded decision
 * in place, and at most some hidden staging files and directories, which the next run removes.
 *
 * <p>These guarantees hold on the local filesystem and HDFS ({@link AtomicWrites.Guarantee#ATOMIC}); elsewhere
 * (s3a) a registry is refused unless {@code retrain.allowNonAtomicFilesystem} accepts the risk.
 */
public final class ModelRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

    static final String VERSIONS = "versions";
    public static final String CURRENT = "CURRENT";
    static final String HISTORY_DIR = "history";
    static final String LEGACY_HISTORY = "history.jsonl";
    static final String VERSION_INFO = "version.json";
    private static final Pattern RECORD = Pattern.compile("(\\d+)\\.json");
    private static final String STAGING = ".publishing-";

    private final Path dir;
    private final Configuration conf;

    public ModelRegistry(String root, String name, Configuration conf) {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new RegistryException("registry model name \"" + name + "\" is invalid: use letters, digits, '.', "
                    + "'_' and '-'");
        }
        this.dir = new Path(root, name);
        this.conf = conf;
    }

    /**
     * Refuses a registry root on a filesystem without atomic renames and exclusive creates (exit 2) unless
     * {@code allowNonAtomic}: there a crash can leave CURRENT or a decision half done and two runs can both
     * take the lock.
     */
    public static void checkFilesystem(String root, Configuration conf, boolean allowNonAtomic) {
        URI uri = new Path(root).toUri();
        String scheme = uri.getScheme() != null ? uri.getScheme() : FileSystem.getDefaultUri(conf).getScheme();
        if (AtomicWrites.guarantee(scheme) == AtomicWrites.Guarantee.ATOMIC) return;
        if (allowNonAtomic) {
            LOG.warn("retrain.registry = {}: {} renames are not atomic; retrain.allowNonAtomicFilesystem accepts that "
                    + "a crash can leave the registry half updated and that two runs can both take its lock",
                    root, scheme);
            return;
        }
        throw new ConfigException("retrain.registry = " + root + ": this filesystem (" + scheme + ") gives no "
                + "atomic rename or create-if-absent, which the registry's lock, CURRENT pointer and history rely on; "
                + "keep the registry on HDFS or a local/NFS path, or set retrain.allowNonAtomicFilesystem = true if "
                + "one scheduler runs the rounds one at a time and a crash may need a manual repair");
    }

    public String path() {
        return dir.toString();
    }

    /** Locks this registry for one run; see {@link RegistryLock}. */
    public RegistryLock lock(String purpose, Duration staleAfter) {
        return RegistryLock.acquire(dir, conf, purpose, staleAfter);
    }

    /** The version in service, if any. */
    public Optional<Integer> current() {
        Path path = new Path(dir, CURRENT);
        try {
            FileSystem fs = fs();
            String text;
            try (InputStream in = fs.open(path)) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            } catch (FileNotFoundException e) {
                return Optional.empty();
            }
            int version = Integer.parseInt(text);
            if (!fs.exists(versionPath(version))) {
                throw new RegistryException(path + " names version " + version + ", which is not under "
                        + new Path(dir, VERSIONS));
            }
            return Optional.of(version);
        } catch (NumberFormatException e) {
            throw new RegistryException(path + " does not hold a version number", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** The complete versions, in ascending order. */
    public List<Integer> versions() {
        TreeSet<Integer> out = new TreeSet<>();
        for (FileStatus s : list(new Path(dir, VERSIONS))) {
            String name = s.getPath().getName();
            if (s.isDirectory() && name.matches("\\d+")) out.add(Integer.parseInt(name));
        }
        return new ArrayList<>(out);
    }

    public Path versionPath(int version) {
        return new Path(new Path(dir, VERSIONS), Integer.toString(version));
    }

    /** Reads a version's bundle. */
    public ModelBundle bundle(int version) {
        try {
            return ModelBundle.readFrom(RunDirectory.store(versionPath(version), conf));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read version " + version + " of " + dir + ": " + e.getMessage(), e);
        }
    }

    /** A version's {@code version.json}. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> info(int version) {
        Path path = new Path(versionPath(version), VERSION_INFO);
        try (InputStream in = fs().open(path)) {
            return Json.mapper().readValue(in, LinkedHashMap.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Adds {@code bundle} as the next version with {@code info} (its metrics, provenance, parent), complete or
     * not at all: written under a staging name of this run's own, then renamed to its number, which must be
     * free. Does not put it in service.
     */
    public int publish(RegistryLock lock, ModelBundle bundle, Map<String, Object> info) {
        requireLockOf(lock);
        lock.checkHeld();
        List<Integer> existing = versions();
        int version = existing.isEmpty() ? 1 : existing.get(existing.size() - 1) + 1;
        Path target = versionPath(version);
        Path staging = new Path(new Path(dir, VERSIONS), "." + version + STAGING + lock.token().substring(0, 8));
        try {
            FileSystem fs = fs();
            fs.delete(staging, true);
            fs.mkdirs(staging);
            bundle.writeTo(RunDirectory.store(staging, conf));
            Map<String, Object> withVersion = new LinkedHashMap<>();
            withVersion.put("version", version);
            withVersion.putAll(info);
            PreparedOutput.writeJson(staging.toString(), VERSION_INFO, withVersion, conf);
            CrashPoints.reach("registry.publish.staged");
            lock.checkHeld();
            if (!AtomicWrites.claim(staging, target, conf)) {
                throw new RegistryException("cannot publish version " + version + " to " + dir + ": it exists "
                        + "already (written by another run, whose lock this run should have excluded)");
            }
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish a version to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Puts {@code version} in service: {@code CURRENT} replaced in one rename, never missing. */
    public void promote(RegistryLock lock, int version) {
        requireLockOf(lock);
        if (!versions().contains(version)) {
            throw new RegistryException("cannot promote version " + version + ": not a complete version of " + dir);
        }
        lock.checkHeld();
        PreparedOutput.writeAtomically(dir.toString(), CURRENT, (version + "\n").getBytes(StandardCharsets.UTF_8),
                conf);
    }

    /** Every decision recorded so far, oldest first: those of {@code history.jsonl}, then those of {@code history/}. */
    public List<RoundRecord> history() {
        List<RoundRecord> out = new ArrayList<>(legacyHistory());
        for (Map.Entry<Long, Path> record : records().entrySet()) out.add(readRecord(record.getValue()));
        return out;
    }

    /**
     * Adds a decision: a new file {@code history/<seq>.json}, written beside and renamed to the next number
     * only if that number is free, so no decision is lost, half written or recorded twice under one number.
     */
    public void record(RegistryLock lock, RoundRecord decision) {
        requireLockOf(lock);
        TreeMap<Long, Path> records = records();
        long seq = records.isEmpty() ? 1 : records.lastKey() + 1;
        Path target = new Path(new Path(dir, HISTORY_DIR), String.format(Locale.ROOT, "%08d.json", seq));
        try {
            byte[] bytes = (Json.compact().writeValueAsString(decision) + "\n").getBytes(StandardCharsets.UTF_8);
            Path staged = AtomicWrites.writeBeside(target, bytes, conf);
            CrashPoints.reach("registry.record.staged");
            lock.checkHeld();
            if (!AtomicWrites.claim(staged, target, conf)) {
                fs().delete(staged, false);
                throw new RegistryException("cannot record a decision in " + target + ": it exists already "
                        + "(written by another run, whose lock this run should have excluded)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record a decision in " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes all but the newest {@code keep} versions, never the one in service; returns the deleted ones.
     */
    public List<Integer> retain(RegistryLock lock, int keep) {
        requireLockOf(lock);
        if (keep < 1) throw new RegistryException("retention must keep at least one version, not " + keep);
        List<Integer> versions = versions();
        Optional<Integer> current = current();
        List<Integer> deleted = new ArrayList<>();
        lock.checkHeld();
        try {
            FileSystem fs = fs();
            for (int i = 0; i < versions.size() - keep; i++) {
                int v = versions.get(i);
                if (current.isPresent() && current.get() == v) continue;
                if (fs.delete(versionPath(v), true)) deleted.add(v);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot apply retention to " + dir + ": " + e.getMessage(), e);
        }
        return deleted;
    }

    /**
     * Removes what crashed runs left half written: staging directories of versions, and files written beside
     * CURRENT or a history record and never renamed into place. Returns how many it removed.
     */
    public int tidy(RegistryLock lock) {
        requireLockOf(lock);
        lock.checkHeld();
        int removed = 0;
        try {
            FileSystem fs = fs();
            for (FileStatus s : list(new Path(dir, VERSIONS))) {
                String name = s.getPath().getName(); // .N.publishing-ID, or .N.publishing of older versions
                if (name.startsWith(".") && name.contains(".publishing") && fs.delete(s.getPath(), true)) removed++;
            }
            removed += AtomicWrites.removeLeftFiles(dir, conf);
            removed += AtomicWrites.removeLeftFiles(new Path(dir, HISTORY_DIR), conf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot tidy " + dir + ": " + e.getMessage(), e);
        }
        if (removed > 0) LOG.info("registry: removed {} leftover(s) of crashed runs from {}", removed, dir);
        return removed;
    }

    /** The records of {@code history/} by sequence number. */
    private TreeMap<Long, Path> records() {
        TreeMap<Long, Path> out = new TreeMap<>();
        for (FileStatus s : list(new Path(dir, HISTORY_DIR))) {
            Matcher m = RECORD.matcher(s.getPath().getName());
            if (s.isFile() && m.matches()) out.put(Long.parseLong(m.group(1)), s.getPath());
        }
        return out;
    }

    private RoundRecord readRecord(Path path) {
        try (InputStream in = fs().open(path)) {
            return Json.mapper().readValue(in, RoundRecord.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new RegistryException(path + " is not a JSON decision: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** The decisions in {@code history.jsonl}, which registries written before {@code history/} hold. */
    private List<RoundRecord> legacyHistory() {
        Path path = new Path(dir, LEGACY_HISTORY);
        List<RoundRecord> out = new ArrayList<>();
        String text;
        try (InputStream in = fs().open(path)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (FileNotFoundException e) {
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
        int line = 0;
        for (String l : text.split("\n")) {
            line++;
            if (l.isBlank()) continue;
            try {
                out.add(Json.mapper().readValue(l, RoundRecord.class));
            } catch (IOException e) {
                throw new RegistryException(path + " line " + line + " is not JSON: " + e.getMessage(), e);
            }
        }
        return out;
    }

    private List<FileStatus> list(Path path) {
        try {
            return List.of(fs().listStatus(path));
        } catch (FileNotFoundException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + path + ": " + e.getMessage(), e);
        }
    }

    private void requireLockOf(RegistryLock lock) {
        if (!lock.locks(dir)) throw new IllegalArgumentException("the lock " + lock + " is not of " + dir);
    }

    private FileSystem fs() throws IOException {
        return dir.getFileSystem(conf);
    }
}
