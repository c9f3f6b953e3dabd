package io.sparklstm.prep.output;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** Paths of outputs: the siblings written beside them, and how one path relates to another. */
final class OutputPaths {

    /** Infix of a sibling that holds a new output until it is complete: {@code .NAME.partial-ID}. */
    static final String PARTIAL = ".partial-";
    /** Infix of a sibling that holds the old output between the two renames of a swap: {@code .NAME.replaced-ID}. */
    static final String REPLACED = ".replaced-";

    private OutputPaths() {
    }

    static Path partialOf(Path target) {
        return sibling(target, PARTIAL);
    }

    static Path replacedOf(Path target) {
        return sibling(target, REPLACED);
    }

    /** A new name in the target's own directory: the same filesystem, so a rename moves it. Hidden from listings. */
    private static Path sibling(Path target, String infix) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        return new Path(target.getParent(), "." + target.getName() + infix + id);
    }

    static boolean isSibling(Path candidate, Path target, String infix) {
        return candidate.getName().startsWith("." + target.getName() + infix);
    }

    static Optional<FileStatus> status(FileSystem fs, Path path) throws IOException {
        try {
            return Optional.of(fs.getFileStatus(path));
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
    }

    /** The paths a possibly globbed path names now; the path itself when it names nothing yet. */
    static List<Path> matches(Path qualified, FileSystem fs) throws IOException {
        FileStatus[] found = fs.globStatus(qualified);
        if (found == null || found.length == 0) return List.of(qualified);
        List<Path> out = new ArrayList<>(found.length);
        for (FileStatus s : found) out.add(s.getPath());
        return out;
    }

    /**
     * What a path names, for comparing paths: scheme, authority and the normalized path without a trailing
     * slash; on the local filesystem with symbolic links resolved, so a link to the input is the input.
     */
    static URI canonical(Path qualified) {
        URI uri = qualified.toUri();
        String path = uri.getPath();
        if ("file".equalsIgnoreCase(uri.getScheme())) {
            path = realLocalPath(path);
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        String authority = uri.getAuthority() == null ? null : uri.getAuthority().toLowerCase(Locale.ROOT);
        try {
            path = new URI(null, null, path, null).normalize().getPath();
            if (path.length() > 1 && path.endsWith("/")) path = path.substring(0, path.length() - 1);
            return new URI(scheme, authority, path, null, null);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("not a path: " + qualified, e);
        }
    }

    /** The longest existing prefix resolved to its real path, the rest appended as given. */
    private static String realLocalPath(String path) {
        java.nio.file.Path p = Paths.get(path);
        java.nio.file.Path existing = p;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null) return path;
        try {
            return existing.toRealPath().resolve(existing.relativize(p)).toString();
        } catch (IOException e) {
            return path;
        }
    }

    /** Whether {@code ancestor} is {@code path} or a directory above it (both {@link #canonical}). */
    static boolean isSameOrAncestor(URI ancestor, URI path) {
        if (!Objects.equals(ancestor.getScheme(), path.getScheme())
                || !Objects.equals(ancestor.getAuthority(), path.getAuthority())) {
            return false;
        }
        String a = ancestor.getPath();
        String p = path.getPath();
        return p.equals(a) || p.startsWith(a.endsWith("/") ? a : a + "/");
    }
}
