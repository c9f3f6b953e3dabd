package io.sparklstm.prep;

import io.sparklstm.model.Json;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Output directories on any Hadoop filesystem: refused when they exist unless overwriting, and files that
 * readers look for written under a temporary name and renamed into place, so a reader never sees half a file.
 */
public final class PreparedOutput {

    private PreparedOutput() {
    }

    /** Makes sure {@code dir} can be written: absent, or removed when {@code overwrite}. */
    public static void claim(String dir, boolean overwrite, Configuration conf) {
        try {
            Path path = new Path(dir);
            FileSystem fs = path.getFileSystem(conf);
            if (fs.exists(path)) {
                if (!overwrite) {
                    throw new OutputExistsException(dir);
                }
                if (!fs.delete(path, true)) {
                    throw new IOException("cannot delete " + dir);
                }
            }
            fs.mkdirs(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the output " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code value} as JSON to {@code dir/name} through a temporary file and a rename. */
    public static void writeJson(String dir, String name, Object value, Configuration conf) {
        try {
            writeAtomically(dir, name, Json.mapper().writeValueAsBytes(value), conf);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code bytes} to {@code dir/name} through a temporary file and a rename. */
    public static void writeAtomically(String dir, String name, byte[] bytes, Configuration conf) {
        Path target = new Path(dir, name);
        Path temporary = new Path(dir, "." + name + ".tmp");
        try {
            FileSystem fs = target.getFileSystem(conf);
            try (OutputStream out = fs.create(temporary, true)) {
                out.write(bytes);
            }
            if (fs.exists(target) && !fs.delete(target, false)) {
                throw new IOException("cannot replace " + target);
            }
            if (!fs.rename(temporary, target)) {
                throw new IOException("cannot rename " + temporary + " to " + target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
