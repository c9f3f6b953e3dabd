package io.sparklstm.jobs.registry;

import io.sparklstm.jobs.train.RunDirectory;
import io.sparklstm.model.Json;
import io.sparklstm.model.bundle.ModelBundle;
import io.sparklstm.prep.PreparedOutput;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * One model's registry, {@code <root>/<name>/}:
 * <pre>
 *   versions/&lt;n&gt;/     a complete bundle (network.zip, bundle.json) and version.json (metrics, provenance,
 *                      data fingerprint, parent version); written under a hidden name, renamed into place
 *   CURRENT            the number of the version in service, replaced atomically
 *   history.jsonl      one JSON object per decision, in order
 *   LOCK               held by the run acting on the registry
 * </pre>
 * A version directory exists only once complete, and {@code CURRENT} is only ever pointed at one, so a crash at
 * any moment leaves {@code CURRENT} loadable. History is rewritten whole through a temporary file and a rename
 * (HDFS has no in-place append that every filesystem shares), so it is never half a line.
 */
public final class ModelRegistry {

    static final String VERSIONS = "versions";
    public static final String CURRENT = "CURRENT";
    static final String HISTORY = "history.jsonl";
    static final String VERSION_INFO = "version.json";

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
            if (!fs.exists(path)) return Optional.empty();
            String text;
            try (InputStream in = fs.open(path)) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
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
        try {
            Path versions = new Path(dir, VERSIONS);
            if (!fs().exists(versions)) return List.of();
            for (FileStatus s : fs().listStatus(versions)) {
                String name = s.getPath().getName();
                if (s.isDirectory() && name.matches("\\d+")) out.add(Integer.parseInt(name));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
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
     * not at all: written under a hidden name, then renamed. Does not put it in service.
     */
    public int publish(ModelBundle bundle, Map<String, Object> info) {
        List<Integer> existing = versions();
        int version = existing.isEmpty() ? 1 : existing.get(existing.size() - 1) + 1;
        Path target = versionPath(version);
        Path staging = new Path(new Path(dir, VERSIONS), "." + version + ".publishing");
        try {
            FileSystem fs = fs();
            fs.delete(staging, true);
            fs.mkdirs(staging);
            bundle.writeTo(RunDirectory.store(staging, conf));
            Map<String, Object> withVersion = new LinkedHashMap<>();
            withVersion.put("version", version);
            withVersion.putAll(info);
            PreparedOutput.writeJson(staging.toString(), VERSION_INFO, withVersion, conf);
            io.sparklstm.prep.output.CrashPoints.reach("registry.publish.staged");
            if (!fs.rename(staging, target)) {
                throw new IOException("cannot rename " + staging + " to " + target);
            }
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish a version to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Puts {@code version} in service: {@code CURRENT} replaced through a temporary file and a rename. */
    public void promote(int version) {
        if (!versions().contains(version)) {
            throw new RegistryException("cannot promote version " + version + ": not a complete version of " + dir);
        }
        PreparedOutput.writeAtomically(dir.toString(), CURRENT, (version + "\n").getBytes(StandardCharsets.UTF_8),
                conf);
    }

    /** Every decision recorded so far, oldest first. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> history() {
        Path path = new Path(dir, HISTORY);
        List<Map<String, Object>> out = new ArrayList<>();
        try {
            if (!fs().exists(path)) return out;
            String text;
            try (InputStream in = fs().open(path)) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            int line = 0;
            for (String l : text.split("\n")) {
                line++;
                if (l.isBlank()) continue;
                try {
                    out.add(Json.mapper().readValue(l, LinkedHashMap.class));
                } catch (IOException e) {
                    throw new RegistryException(path + " line " + line + " is not JSON: " + e.getMessage(), e);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Adds a decision to {@code history.jsonl}. */
    public void record(Map<String, Object> decision) {
        StringBuilder text = new StringBuilder();
        try {
            for (Map<String, Object> d : history()) text.append(Json.compact().writeValueAsString(d)).append('\n');
            text.append(Json.compact().writeValueAsString(decision)).append('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PreparedOutput.writeAtomically(dir.toString(), HISTORY, text.toString().getBytes(StandardCharsets.UTF_8), conf);
    }

    /**
     * Deletes all but the newest {@code keep} versions, never the one in service; returns the deleted ones.
     * Also removes leftovers of publications a crash interrupted.
     */
    public List<Integer> retain(int keep) {
        if (keep < 1) throw new RegistryException("retention must keep at least one version, not " + keep);
        List<Integer> versions = versions();
        Optional<Integer> current = current();
        List<Integer> deleted = new ArrayList<>();
        try {
            FileSystem fs = fs();
            for (int i = 0; i < versions.size() - keep; i++) {
                int v = versions.get(i);
                if (current.isPresent() && current.get() == v) continue;
                if (fs.delete(versionPath(v), true)) deleted.add(v);
            }
            Path versionsDir = new Path(dir, VERSIONS);
            if (fs.exists(versionsDir)) {
                for (FileStatus s : fs.listStatus(versionsDir)) {
                    if (s.getPath().getName().endsWith(".publishing")) fs.delete(s.getPath(), true);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot apply retention to " + dir + ": " + e.getMessage(), e);
        }
        return deleted;
    }

    private FileSystem fs() throws IOException {
        return dir.getFileSystem(conf);
    }
}
