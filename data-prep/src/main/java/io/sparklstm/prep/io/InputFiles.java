package io.sparklstm.prep.io;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The files behind an input path (a file, a directory, or a glob), listed on the driver before any Spark
 * stage, in a stable order.
 */
public final class InputFiles {

    private final String pattern;
    private final List<FileStatus> files;

    private InputFiles(String pattern, List<FileStatus> files) {
        this.pattern = pattern;
        this.files = files;
    }

    /** Lists the files; an input that matches nothing, or only empty files, is an input error. */
    public static InputFiles list(String inputPath, Configuration conf) {
        return list("input.path", inputPath, conf);
    }

    /**
     * Lists the files of the path that configuration key {@code key} names (the key is in every error);
     * an input that matches nothing, or only empty files, is an input error.
     */
    public static InputFiles list(String key, String inputPath, Configuration conf) {
        try {
            Path path = new Path(inputPath);
            FileSystem fs = path.getFileSystem(conf);
            FileStatus[] matched = fs.globStatus(path);
            if (matched == null || matched.length == 0) {
                throw new InputDataException(key + " " + inputPath + ": no such file or directory");
            }
            List<FileStatus> found = new ArrayList<>();
            for (FileStatus status : matched) {
                if (status.isDirectory()) {
                    for (FileStatus child : fs.listStatus(status.getPath())) {
                        String name = child.getPath().getName();
                        if (child.isFile() && !name.startsWith("_") && !name.startsWith(".")) {
                            found.add(child);
                        }
                    }
                } else {
                    found.add(status);
                }
            }
            found.sort(Comparator.comparing(s -> s.getPath().toString()));
            if (found.isEmpty()) {
                throw new InputDataException(key + " " + inputPath + ": no input files there");
            }
            if (found.stream().allMatch(s -> s.getLen() == 0)) {
                throw new InputDataException(key + " " + inputPath + ": the input is empty ("
                        + found.size() + " empty file(s), e.g. " + found.get(0).getPath() + ")");
            }
            return new InputFiles(inputPath, List.copyOf(found));
        } catch (IOException e) {
            throw new InputDataException(key + " " + inputPath + ": cannot list: " + e.getMessage(), e);
        }
    }

    public String pattern() {
        return pattern;
    }

    public List<String> paths() {
        return files.stream().map(s -> s.getPath().toString()).toList();
    }

    /** Input bytes per partition of a sorted, cached table: its cached blocks stay small enough to read back. */
    public static final long BYTES_PER_PARTITION = 64L << 20;

    /**
     * Partitions for a table read from these files and then sorted and cached: at least two and Spark's default
     * parallelism, and one per {@link #BYTES_PER_PARTITION} of input, so that no partition's cached block grows
     * with the input (a 20-million-row table in two partitions made blocks an executor could not read back).
     */
    public int partitions(int defaultParallelism) {
        long bySize = (totalBytes() + BYTES_PER_PARTITION - 1) / BYTES_PER_PARTITION;
        int cores = Math.max(2, defaultParallelism);
        long partitions = Math.max(cores, Math.min(bySize, 100_000));
        // a whole number of waves: 3 partitions on 2 cores left one core idle for a third of every stage
        return (int) ((partitions + cores - 1) / cores * cores);
    }

    public long totalBytes() {
        return files.stream().mapToLong(FileStatus::getLen).sum();
    }

    /** SHA-256 of each file's path, size and modification time: cheap, and changes when the data does. */
    public String fingerprint() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (FileStatus s : files) {
                digest.update((s.getPath().getName() + "\t" + s.getLen() + "\t" + s.getModificationTime() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The first line of a file (e.g. its header), decoded strictly, without a byte-order mark; empty for an
     * empty file.
     */
    public static Optional<String> firstLine(String file, Configuration conf, Charset charset) {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        Path path = new Path(file);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                path.getFileSystem(conf).open(path), decoder))) {
            String line = reader.readLine();
            return Optional.ofNullable(line).map(TextLines::stripLineEnd).map(TextLines::withoutByteOrderMark);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new InputDataException(file + ":1: the header is not valid " + charset.name()
                    + " (set input.encoding, e.g. ISO-8859-1)", e);
        } catch (IOException e) {
            throw new InputDataException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
