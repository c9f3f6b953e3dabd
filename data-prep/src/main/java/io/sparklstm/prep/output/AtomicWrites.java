package io.sparklstm.prep.output;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Writes that a reader sees whole or not at all, on any Hadoop filesystem, each as atomic as the filesystem
 * allows ({@link Guarantee}):
 * <ul>
 *   <li>{@link #replaceFile}: a file replaced in one step, never missing in between: written beside, then
 *       renamed over the old one ({@code file:} rename(2) through {@code Files.move(ATOMIC_MOVE)}; {@code hdfs:}
 *       the NameNode's rename with {@code Options.Rename.OVERWRITE}).</li>
 *   <li>{@link #claim}: a rename to a name only if nothing has it, in one step, never into an existing
 *       directory ({@code file:} link(2) for a file, rename(2) for a directory; {@code hdfs:} rename without
 *       overwrite). Creating a file exclusively is {@link #writeBeside} then {@code claim}.</li>
 *   <li>{@link #replaceDirectory}: no filesystem replaces a non-empty directory in one step, so the old one is
 *       renamed aside and the new one into its place; {@link #readableDirectory} finds the old one aside in the
 *       instant between, and the next replacement of the same directory puts it back or removes it.</li>
 * </ul>
 * On the local filesystem files are written without Hadoop's {@code .NAME.crc} checksum files, which cannot
 * be renamed together with the file they check; a stale checksum file of a replaced file is removed first.
 */
public final class AtomicWrites {

    private static final Logger LOG = LoggerFactory.getLogger(AtomicWrites.class);

    /** Infix of a file written beside its target until it takes the target's name: {@code .NAME.tmp-ID}. */
    static final String TEMPORARY = ".tmp-";

    /** Object stores, where an object appears whole when its upload completes and a rename copies. */
    private static final Set<String> OBJECT_STORES = Set.of("s3a", "s3", "s3n", "gs");

    /** What a filesystem guarantees to these writes. */
    public enum Guarantee {
        /**
         * Renames and exclusive creates are single atomic operations: the local filesystem (rename(2), link(2);
         * on a local disk; NFS as far as the server renames atomically) and HDFS (the NameNode).
         */
        ATOMIC,
        /**
         * Everything else, s3a among them: a rename copies and deletes, and create-if-absent checks and then
         * writes, so a crash or a concurrent writer can see or leave an intermediate state. A single small file
         * on an object store is still replaced whole (one upload).
         */
        NONE
    }

    private AtomicWrites() {
    }

    /** What the filesystem of {@code path} guarantees. */
    public static Guarantee guarantee(Path path, Configuration conf) {
        try {
            return guarantee(scheme(path.getFileSystem(conf), path));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot reach the filesystem of " + path + ": " + e.getMessage(), e);
        }
    }

    /** What a filesystem with this URI scheme guarantees. */
    public static Guarantee guarantee(String scheme) {
        String s = scheme.toLowerCase(Locale.ROOT);
        return s.equals("file") || s.equals("hdfs") ? Guarantee.ATOMIC : Guarantee.NONE;
    }

    /**
     * Replaces (or creates) the file {@code target} with {@code bytes}: a reader finds the old content or the
     * new, never a partial file and never no file. Reaches the crash point {@code replace-file:NAME} with the
     * new content complete beside the old.
     */
    public static void replaceFile(Path target, byte[] bytes, Configuration conf) throws IOException {
        FileSystem fs = target.getFileSystem(conf);
        if (OBJECT_STORES.contains(scheme(fs, target))) {
            CrashPoints.reach("replace-file:" + target.getName());
            try (FSDataOutputStream out = fs.create(target, true)) { // one upload: the object appears whole
                out.write(bytes);
            }
            return;
        }
        Path beside = writeBeside(target, bytes, conf);
        try {
            CrashPoints.reach("replace-file:" + target.getName());
            renameOver(beside, target, conf);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(fs, beside);
            throw e;
        }
    }

    /**
     * Writes {@code bytes} to a new hidden file beside {@code target} ({@code .NAME.tmp-ID}), complete and on
     * disk when this returns; for {@link #claim} or {@link #replaceFile} to give it the target's name.
     */
    public static Path writeBeside(Path target, byte[] bytes, Configuration conf) throws IOException {
        FileSystem fs = target.getFileSystem(conf);
        Path beside = new Path(target.getParent(), "." + target.getName() + TEMPORARY
                + UUID.randomUUID().toString().substring(0, 8));
        if (isLocal(fs, target)) {
            java.nio.file.Path file = local(fs, beside);
            Files.createDirectories(file.getParent());
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) channel.write(buffer);
                channel.force(true);
            }
        } else {
            try (FSDataOutputStream out = fs.create(beside, false)) {
                out.write(bytes);
                if (scheme(fs, target).equals("hdfs")) out.hsync(); // s3a streams refuse hsync; close uploads
            }
        }
        return beside;
    }

    /**
     * Renames {@code source} (a file or a directory) to {@code target} only if nothing is at {@code target}, in
     * one step where the filesystem allows it; never moves it into a directory at {@code target}. Returns
     * false, leaving {@code source} where it is, when {@code target} exists.
     */
    public static boolean claim(Path source, Path target, Configuration conf) throws IOException {
        FileSystem fs = target.getFileSystem(conf);
        if (isLocal(fs, target)) return claimLocal(fs, source, target);
        if (scheme(fs, target).equals("hdfs")) {
            try {
                FileContext.getFileContext(fs.getUri(), conf).rename(source, target, Options.Rename.NONE);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            }
        }
        // no atomic rename-if-absent here: check, then rename (FileSystem.rename would nest a directory)
        if (OutputPaths.status(fs, target).isPresent()) return false;
        if (!fs.rename(source, target)) throw new IOException("cannot rename " + source + " to " + target);
        return true;
    }

    /**
     * Renames {@code source} to the file {@code target}, replacing it in one step where the filesystem allows
     * it (see {@link Guarantee}); elsewhere the filesystem's own rename with overwrite, which may delete first.
     */
    static void renameOver(Path source, Path target, Configuration conf) throws IOException {
        FileSystem fs = target.getFileSystem(conf);
        if (isLocal(fs, target)) {
            java.nio.file.Path file = local(fs, target);
            Files.deleteIfExists(checksumOf(file)); // it would check the old content, not the new
            Files.move(local(fs, source), file, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        try {
            FileContext.getFileContext(fs.getUri(), conf).rename(source, target, Options.Rename.OVERWRITE);
        } catch (org.apache.hadoop.fs.UnsupportedFileSystemException e) {
            // no AbstractFileSystem for this scheme: the plain FileSystem API, which cannot replace in one step
            if (fs.exists(target) && !fs.delete(target, false)) throw new IOException("cannot replace " + target);
            if (!fs.rename(source, target)) throw new IOException("cannot rename " + source + " to " + target);
        }
    }

    /**
     * A new, empty hidden directory beside {@code target} ({@code .NAME.partial-ID}) to write a replacement
     * of it in, for {@link #replaceDirectory}. Removes what earlier, crashed writers of the same directory
     * left beside it, and puts back an old directory a crash left aside; so one writer per directory at a time.
     */
    public static Path besideDirectory(Path target, Configuration conf) throws IOException {
        FileSystem fs = target.getFileSystem(conf);
        tidyDirectory(fs, target, conf);
        Path beside = OutputPaths.partialOf(target);
        if (!fs.mkdirs(beside)) throw new IOException("cannot create " + beside);
        return beside;
    }

    /**
     * Puts the complete directory {@code source} in the place of {@code target}: the old one renamed aside
     * ({@code .NAME.replaced-ID}), the new one renamed into place, the old one deleted. Reaches the crash point
     * {@code replace-directory:NAME} between the two renames.
     */
    public static void replaceDirectory(Path source, Path target, Configuration conf) throws IOException {
        FileSystem fs = target.getFileSystem(conf);
        Path aside = null;
        if (OutputPaths.status(fs, target).isPresent()) {
            aside = OutputPaths.replacedOf(target);
            if (!claim(target, aside, conf)) throw new IOException("cannot move " + target + " aside to " + aside);
        }
        CrashPoints.reach("replace-directory:" + target.getName());
        if (!claim(source, target, conf)) {
            if (aside != null && !claim(aside, target, conf)) {
                LOG.error("the old {} is in {}: rename it back", target, aside);
            }
            throw new IOException(target + " appeared while it was being replaced (two writers?)");
        }
        if (aside != null && !fs.delete(aside, true)) {
            LOG.warn("cannot remove the replaced {}; the next replacement of {} removes it", aside, target);
        }
    }

    /**
     * The directory to read for {@code target}: itself, or, when a crash came between the two renames of a
     * {@link #replaceDirectory}, the old one it left aside; empty when there is neither.
     */
    public static Optional<Path> readableDirectory(Path target, Configuration conf) throws IOException {
        FileSystem fs = target.getFileSystem(conf);
        if (OutputPaths.status(fs, target).isPresent()) return Optional.of(target);
        return asideOf(fs, target).map(FileStatus::getPath);
    }

    /** Removes the hidden files a crashed {@link #writeBeside} left in {@code dir}; returns how many. */
    public static int removeLeftFiles(Path dir, Configuration conf) throws IOException {
        FileSystem fs = dir.getFileSystem(conf);
        if (OutputPaths.status(fs, dir).isEmpty()) return 0;
        int removed = 0;
        for (FileStatus s : fs.listStatus(dir)) {
            String name = s.getPath().getName();
            if (s.isFile() && name.startsWith(".") && name.contains(TEMPORARY) && fs.delete(s.getPath(), false)) {
                removed++;
            }
        }
        return removed;
    }

    /** An old directory left aside by an interrupted replacement goes back; leftovers of other writes go. */
    private static void tidyDirectory(FileSystem fs, Path target, Configuration conf) throws IOException {
        Path parent = target.getParent();
        if (OutputPaths.status(fs, parent).isEmpty()) {
            fs.mkdirs(parent);
            return;
        }
        Optional<FileStatus> aside = asideOf(fs, target);
        if (aside.isPresent() && OutputPaths.status(fs, target).isEmpty()
                && claim(aside.get().getPath(), target, conf)) {
            LOG.warn("put {} back in {}: its replacement was interrupted", aside.get().getPath(), target);
        }
        for (FileStatus s : fs.listStatus(parent)) {
            Path p = s.getPath();
            if (OutputPaths.isSibling(p, target, OutputPaths.PARTIAL)
                    || OutputPaths.isSibling(p, target, OutputPaths.REPLACED)) {
                fs.delete(p, true);
            }
        }
    }

    private static Optional<FileStatus> asideOf(FileSystem fs, Path target) throws IOException {
        if (OutputPaths.status(fs, target.getParent()).isEmpty()) return Optional.empty();
        Optional<FileStatus> newest = Optional.empty();
        for (FileStatus s : fs.listStatus(target.getParent())) {
            if (s.isDirectory() && OutputPaths.isSibling(s.getPath(), target, OutputPaths.REPLACED)) {
                newest = newest.filter(n -> n.getModificationTime() >= s.getModificationTime())
                        .or(() -> Optional.of(s));
            }
        }
        return newest;
    }

    private static boolean claimLocal(FileSystem fs, Path source, Path target) throws IOException {
        java.nio.file.Path from = local(fs, source);
        java.nio.file.Path to = local(fs, target);
        if (Files.notExists(from, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new java.io.FileNotFoundException(source + " does not exist"); // as HDFS says it
        }
        if (Files.isDirectory(from)) {
            try {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE); // rename(2): fails on a non-empty directory
                return true;
            } catch (IOException e) {
                if (Files.exists(to, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return false;
                throw e;
            }
        }
        if (Files.notExists(to, java.nio.file.LinkOption.NOFOLLOW_LINKS)) Files.deleteIfExists(checksumOf(to));
        try {
            Files.createLink(to, from); // link(2): fails when the name exists
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return false;
        }
        Files.delete(from);
        return true;
    }

    private static boolean isLocal(FileSystem fs, Path path) {
        return scheme(fs, path).equals("file");
    }

    private static String scheme(FileSystem fs, Path path) {
        String scheme = fs.makeQualified(path).toUri().getScheme();
        return scheme == null ? "" : scheme.toLowerCase(Locale.ROOT);
    }

    private static java.nio.file.Path local(FileSystem fs, Path path) {
        return new File(fs.makeQualified(path).toUri().getPath()).toPath();
    }

    /** Hadoop's checksum file of a local file, {@code .NAME.crc}. */
    private static java.nio.file.Path checksumOf(java.nio.file.Path file) {
        return file.resolveSibling("." + file.getFileName() + ".crc");
    }

    private static void deleteQuietly(FileSystem fs, Path path) {
        try {
            fs.delete(path, false);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", path, e.toString());
        }
    }
}
