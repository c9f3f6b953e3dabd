package io.sparklstm.prep.output;

import io.sparklstm.model.Json;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;

/**
 * The file that makes a directory the tool's own output, {@value #FILE_NAME}: what it holds, whether it is
 * complete, and, in a directory written beside the output it is to replace, which output that is. Written
 * first as incomplete, and again as complete after every other file, so a directory whose marker says complete
 * holds a whole output. Its name starts with {@code _}, so Hadoop, Spark and {@code input.path} listings skip it.
 * It holds no time, so that the same preparation run twice gives the same bytes.
 *
 * @param kind      the {@link OutputKind#id()} of what the directory holds
 * @param complete  whether every file of the output is written
 * @param replaces  for a directory written beside the output it replaces: that output's path; else empty
 * @param version   the spark-lstm version that wrote it
 */
public record OutputMarker(String kind, boolean complete, String replaces, String version) {

    public static final String FILE_NAME = "_spark-lstm-output.json";

    private static final String VERSION = readVersion();

    public OutputMarker {
        replaces = replaces == null ? "" : replaces;
    }

    static OutputMarker incomplete(OutputKind kind, String replaces) {
        return new OutputMarker(kind.id(), false, replaces, VERSION);
    }

    static OutputMarker complete(OutputKind kind) {
        return new OutputMarker(kind.id(), true, "", VERSION);
    }

    /** What the directory holds; empty for a kind this version does not know. */
    public Optional<OutputKind> outputKind() {
        return OutputKind.fromId(kind);
    }

    /** The output this directory is written to replace, when it is written beside it. */
    public Optional<String> replacing() {
        return replaces.isEmpty() ? Optional.empty() : Optional.of(replaces);
    }

    /** The marker of {@code dir}; empty when it has none, or one that cannot be read as a marker. */
    public static Optional<OutputMarker> read(Path dir, Configuration conf) {
        Path file = new Path(dir, FILE_NAME);
        try (InputStream in = file.getFileSystem(conf).open(file)) {
            OutputMarker marker = Json.mapper().readValue(in, OutputMarker.class);
            return marker.kind() == null ? Optional.empty() : Optional.of(marker);
        } catch (FileNotFoundException e) {
            return Optional.empty();
        } catch (com.fasterxml.jackson.core.JacksonException | org.apache.hadoop.fs.ChecksumException e) {
            return Optional.empty(); // not a marker this tool wrote whole: the directory is not recognized as its own
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    void write(Path dir, Configuration conf) {
        PreparedOutput.writeJson(dir.toString(), FILE_NAME, this, conf);
    }

    private static String readVersion() {
        Properties p = new Properties();
        try (InputStream in = OutputMarker.class.getResourceAsStream("version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            // the version is informational; an unreadable file leaves it "unknown"
        }
        return p.getProperty("version", "unknown");
    }
}
