package io.sparklstm.prep;

import io.sparklstm.model.Json;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Files that readers look for, on any Hadoop filesystem, written under a temporary name and renamed into place,
 * so a reader never sees half a file. (Whole output directories: {@link io.sparklstm.prep.output.OutputRequest}.)
 */
public final class PreparedOutput {

    private PreparedOutput() {
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
            io.sparklstm.prep.output.CrashPoints.reach("replace-file:" + name);
            if (!fs.rename(temporary, target)) {
                throw new IOException("cannot rename " + temporary + " to " + target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
