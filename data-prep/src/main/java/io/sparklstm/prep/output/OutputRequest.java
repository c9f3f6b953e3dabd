package io.sparklstm.prep.output;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * An output directory a command asks to write, checked before any work and then claimed.
 *
 * <p>Refused (exit code 2): a directory that is or holds one of the command's {@code inputs}; an existing
 * directory unless {@code overwrite}, and with it one without the tool's {@link OutputMarker marker} (the tool
 * replaces only its own outputs) or with the marker of another kind of output; a path under a file; a place the
 * command cannot write. An empty directory is used as if it were absent.
 *
 * <p>A claimed output is written beside the one it replaces, in a hidden sibling {@code .NAME.partial-ID}, and
 * renamed into place only when complete ({@link OutputDirectory#commit()}). A new output is written the same way
 * with {@link Placement#STAGED}, and in place with {@link Placement#IN_PLACE_WHEN_NEW}. Two commands writing the
 * same output at the same time are not supported: the second removes what the first left beside it.
 *
 * @param target    the output directory
 * @param kind      what it holds
 * @param overwrite whether an existing output of the same kind may be replaced
 * @param placement where a new output is written
 * @param inputs    what the command reads, each under the option or key that names it: never replaced
 */
public record OutputRequest(String target, OutputKind kind, boolean overwrite, Placement placement,
                            Map<String, String> inputs) {

    private static final Logger LOG = LoggerFactory.getLogger(OutputRequest.class);

    /** Where a new output is written while the command works. */
    public enum Placement {
        /** Beside, renamed into place when complete: a failed command leaves nothing, and no partial output. */
        STAGED,
        /**
         * In place when nothing is there yet, so that what a failed or killed command wrote stays where it is
         * looked for (a training run's checkpoints and metrics, to resume or read); beside when replacing.
         */
        IN_PLACE_WHEN_NEW
    }

    /** What is at the target. */
    enum Found { NOTHING, EMPTY_DIRECTORY, OWN_OUTPUT }

    public OutputRequest {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(placement, "placement");
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    }

    /** Refuses what must not be written ({@link OutputRefusedException}); writes nothing but a probe file. */
    public void check(Configuration conf) {
        inspect(conf);
    }

    /**
     * Checks, tidies what an earlier run left beside the target, and creates the directory to write in. A
     * replacement interrupted between its two renames is rolled back first: the old output is put back.
     */
    public OutputDirectory claim(Configuration conf) {
        Path path = qualified(conf);
        try {
            FileSystem fs = path.getFileSystem(conf);
            tidy(path, fs, conf);
            Found found = inspect(conf);
            if (placement == Placement.IN_PLACE_WHEN_NEW && found != Found.OWN_OUTPUT) {
                fs.mkdirs(path);
                OutputMarker.incomplete(kind, "").write(path, conf);
                return new OutputDirectory(path, path, kind, placement, conf);
            }
            Path partial = OutputPaths.partialOf(path);
            if (!fs.mkdirs(partial)) throw new IOException("cannot create " + partial);
            OutputMarker.incomplete(kind, path.toString()).write(partial, conf);
            if (found == Found.OWN_OUTPUT) {
                LOG.info("writing the new {} in {}; the old one stays in {} until the new one is complete",
                        kind.description(), partial, path);
            }
            return new OutputDirectory(path, partial, kind, placement, conf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the output " + path + ": " + e.getMessage(), e);
        }
    }

    private Path qualified(Configuration conf) {
        try {
            Path path = new Path(target);
            return path.getFileSystem(conf).makeQualified(path);
        } catch (IOException | IllegalArgumentException e) {
            throw new OutputRefusedException("--output " + target + " is not a usable path: " + e.getMessage(), e);
        }
    }

    private Found inspect(Configuration conf) {
        Path path = qualified(conf);
        if (path.isRoot()) {
            throw new OutputRefusedException("--output " + target + " is the root of a filesystem");
        }
        try {
            FileSystem fs = path.getFileSystem(conf);
            refuseInputs(path, fs, conf);
            Found found = found(path, fs, conf);
            probeWritable(target, found == Found.EMPTY_DIRECTORY && placement == Placement.IN_PLACE_WHEN_NEW
                    ? path : existingAncestor(target, path.getParent(), fs), fs);
            return found;
        } catch (IOException e) {
            throw new OutputRefusedException("--output " + target + " cannot be checked: " + e.getMessage(), e);
        }
    }

    /** Never an output that is an input, or a directory above one: replacing it would delete the input. */
    private void refuseInputs(Path path, FileSystem fs, Configuration conf) throws IOException {
        URI output = OutputPaths.canonical(path);
        for (Map.Entry<String, String> input : inputs.entrySet()) {
            Path given = new Path(input.getValue());
            FileSystem inputFs = given.getFileSystem(conf);
            for (Path match : OutputPaths.matches(inputFs.makeQualified(given), inputFs)) {
                URI in = OutputPaths.canonical(match);
                if (OutputPaths.isSameOrAncestor(output, in)) {
                    throw new OutputRefusedException("--output " + target + (output.equals(in) ? " is " : " holds ")
                            + input.getKey() + " " + (output.equals(in) ? "" : match + " ")
                            + "and would be replaced; write the " + kind.description() + " elsewhere");
                }
            }
        }
    }

    private Found found(Path path, FileSystem fs, Configuration conf) throws IOException {
        Optional<FileStatus> status = OutputPaths.status(fs, path);
        if (status.isEmpty()) return Found.NOTHING;
        if (!status.get().isDirectory()) {
            throw new OutputRefusedException("--output " + target + " is a file, not a directory");
        }
        if (fs.listStatus(path).length == 0) return Found.EMPTY_DIRECTORY;
        Optional<OutputMarker> marker = OutputMarker.read(path, conf);
        if (!overwrite) {
            throw new OutputRefusedException("the output " + target + " already exists"
                    + (marker.isPresent() ? "; choose another --output or pass --overwrite to replace it"
                    : " and was not written by spark-lstm; choose another --output"));
        }
        if (marker.isEmpty()) {
            throw new OutputRefusedException("--overwrite: " + target + " was not written by spark-lstm (it has no "
                    + OutputMarker.FILE_NAME + "), and --overwrite replaces only spark-lstm's own outputs; choose "
                    + "another --output, or remove the directory yourself");
        }
        if (marker.get().outputKind().filter(kind::equals).isEmpty()) {
            String held = marker.get().outputKind().map(OutputKind::description).orElse(marker.get().kind());
            throw new OutputRefusedException("--overwrite: " + target + " holds a " + held + ", not a "
                    + kind.description() + "; it is not replaced: choose another --output");
        }
        return Found.OWN_OUTPUT;
    }

    /** The nearest directory at or above {@code dir} that exists; refused when a file is found on the way. */
    private static Path existingAncestor(String target, Path dir, FileSystem fs) throws IOException {
        for (Path d = dir; d != null; d = d.getParent()) {
            Optional<FileStatus> status = OutputPaths.status(fs, d);
            if (status.isPresent()) {
                if (!status.get().isDirectory()) {
                    throw new OutputRefusedException("--output " + target + " cannot be created: " + d + " is a file");
                }
                return d;
            }
        }
        throw new OutputRefusedException("--output " + target + " cannot be created: no directory above it exists");
    }

    /** Writes and removes a file: the one check of write access that holds on every filesystem and for root. */
    private static void probeWritable(String target, Path dir, FileSystem fs) {
        Path probe = new Path(dir, "._spark-lstm-probe-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            fs.create(probe, false).close();
        } catch (IOException e) {
            throw new OutputRefusedException("--output " + target + " cannot be written: creating a file in " + dir
                    + " failed (" + e.getMessage() + ")", e);
        }
        try {
            fs.delete(probe, false);
        } catch (IOException e) {
            LOG.warn("cannot remove the probe file {}: {}", probe, e.toString());
        }
    }

    /**
     * Puts back an output an interrupted swap left aside (the rename of the new one into its place did not
     * happen), and removes what earlier runs left beside the target: their own partial outputs.
     */
    private static void tidy(Path target, FileSystem fs, Configuration conf) throws IOException {
        Path parent = target.getParent();
        if (OutputPaths.status(fs, parent).filter(FileStatus::isDirectory).isEmpty()) return;
        for (FileStatus sibling : fs.listStatus(parent)) {
            Path p = sibling.getPath();
            if (!sibling.isDirectory() || !OutputPaths.isSibling(p, target, OutputPaths.REPLACED)
                    || OutputMarker.read(p, conf).isEmpty()) {
                continue;
            }
            if (OutputPaths.status(fs, target).isEmpty() && fs.rename(p, target)) {
                LOG.warn("put {} back in {}: a replacement was interrupted before the new output took its place",
                        p, target);
            } else if (fs.delete(p, true)) {
                LOG.info("removed {}, an output already replaced", p);
            }
        }
        for (FileStatus sibling : fs.listStatus(parent)) {
            Path p = sibling.getPath();
            if (sibling.isDirectory() && OutputPaths.isSibling(p, target, OutputPaths.PARTIAL)
                    && OutputMarker.read(p, conf).isPresent() && fs.delete(p, true)) {
                LOG.info("removed {}, an incomplete output left by an earlier run", p);
            }
        }
    }

    /**
     * Checks an output file (not a directory; replaced when it exists): not inside one of {@code inputs}, not
     * a directory, and in a place that can be written.
     */
    public static void checkFile(String file, Map<String, String> inputs, Configuration conf) {
        Path path = new Path(file);
        try {
            FileSystem fs = path.getFileSystem(conf);
            path = fs.makeQualified(path);
            URI out = OutputPaths.canonical(path);
            for (Map.Entry<String, String> input : inputs.entrySet()) {
                Path given = new Path(input.getValue());
                FileSystem inputFs = given.getFileSystem(conf);
                URI in = OutputPaths.canonical(inputFs.makeQualified(given));
                if (OutputPaths.isSameOrAncestor(in, out)) {
                    throw new OutputRefusedException("--output " + file + " is inside " + input.getKey() + " "
                            + input.getValue() + "; write it elsewhere");
                }
            }
            if (OutputPaths.status(fs, path).filter(FileStatus::isDirectory).isPresent()) {
                throw new OutputRefusedException("--output " + file + " is a directory; name a file");
            }
            probeWritable(file, existingAncestor(file, path.getParent(), fs), fs);
        } catch (IOException e) {
            throw new OutputRefusedException("--output " + file + " cannot be checked: " + e.getMessage(), e);
        }
    }
}
