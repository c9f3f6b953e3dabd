package io.sparklstm.prep.output;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * A claimed output ({@link OutputRequest#claim}): the directory to write in now ({@link #path()}), which is
 * the target itself or a hidden sibling that takes the target's place once complete ({@link #commit()}).
 *
 * <p>The swap is two renames, each to a path that does not exist (on HDFS a rename onto an existing directory
 * would move the source into it): the old output to a hidden sibling, the new one to the target; then the old
 * one is deleted. A reader finds the old output or the new one, whole, or for the instant between the renames
 * none; a crash in that instant is rolled back by the next claim of the same target.
 */
public final class OutputDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(OutputDirectory.class);

    private final Path target;
    private final Path work;
    private final OutputKind kind;
    private final OutputRequest.Placement placement;
    private final Configuration conf;

    OutputDirectory(Path target, Path work, OutputKind kind, OutputRequest.Placement placement, Configuration conf) {
        this.target = target;
        this.work = work;
        this.kind = kind;
        this.placement = placement;
        this.conf = conf;
    }

    /**
     * Continues writing an output where it is, e.g. a training run resumed from its checkpoints: in place, or,
     * for an output written beside the one it replaces, there, taking that one's place when complete. Marked
     * incomplete until then. A directory without a marker (written by an older version) is taken as is.
     */
    public static OutputDirectory resume(String dir, OutputKind kind, Configuration conf) {
        Path path = new Path(dir);
        try {
            path = path.getFileSystem(conf).makeQualified(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve " + dir + ": " + e.getMessage(), e);
        }
        Optional<OutputMarker> marker = OutputMarker.read(path, conf);
        if (marker.isPresent() && marker.get().outputKind().filter(kind::equals).isEmpty()) {
            throw new OutputRefusedException(dir + " holds a " + marker.get().outputKind().map(OutputKind::description)
                    .orElse(marker.get().kind()) + ", not a " + kind.description());
        }
        Optional<String> replacing = marker.flatMap(OutputMarker::replacing);
        Path target = replacing.map(Path::new).orElse(path);
        OutputMarker.incomplete(kind, replacing.orElse("")).write(path, conf);
        replacing.ifPresent(t -> LOG.info("{} replaces {} when complete", dir, t));
        return new OutputDirectory(target, path, kind, OutputRequest.Placement.IN_PLACE_WHEN_NEW, conf);
    }

    /** Where to write now. */
    public String path() {
        return work.toString();
    }

    /** Where the output is once complete. */
    public String target() {
        return target.toString();
    }

    /** Marks the output complete, its last file, and moves it into place when it was written beside. */
    public void commit() {
        OutputMarker.complete(kind).write(work, conf);
        if (work.equals(target)) return;
        try {
            swapIntoPlace(target.getFileSystem(conf));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the new " + kind.description() + " " + work + " to " + target
                    + ": " + e.getMessage(), e);
        }
    }

    private void swapIntoPlace(FileSystem fs) throws IOException {
        Optional<FileStatus> old = OutputPaths.status(fs, target);
        Path aside = null;
        if (old.isPresent() && old.get().isDirectory() && fs.listStatus(target).length == 0) {
            fs.delete(target, false);
        } else if (old.isPresent()) {
            aside = OutputPaths.replacedOf(target);
            if (!fs.rename(target, aside)) throw new IOException("cannot move the old output aside to " + aside);
        }
        if (!fs.rename(work, target)) {
            if (aside != null && !fs.rename(aside, target)) {
                LOG.error("the old output is in {}: rename it to {}", aside, target);
            }
            throw new IOException("the rename failed");
        }
        if (aside != null && !fs.delete(aside, true)) {
            LOG.warn("cannot remove the replaced output {}; the next run writing {} removes it", aside, target);
        }
        LOG.info("{} complete in {}{}", kind.description(), target, aside == null ? "" : ", in place of the old one");
    }

    /**
     * After a failure: an output written beside is removed ({@link OutputRequest.Placement#STAGED}) or kept for
     * resuming; one written in place stays, marked incomplete. Never touches the output it was to replace.
     */
    public void abandon() {
        if (work.equals(target)) {
            LOG.warn("the {} in {} is incomplete", kind.description(), target);
            return;
        }
        if (placement == OutputRequest.Placement.IN_PLACE_WHEN_NEW) {
            LOG.warn("the incomplete new {} is in {}; {} is unchanged", kind.description(), work, target);
            return;
        }
        try {
            target.getFileSystem(conf).delete(work, true);
        } catch (IOException e) {
            LOG.warn("cannot remove the incomplete {}: {}", work, e.toString());
        }
    }
}
