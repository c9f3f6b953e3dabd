package io.sparklstm.prep.output;

import io.sparklstm.model.Json;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Files that readers look for, on any Hadoop filesystem, written beside and renamed over the old one in one
 * step ({@link AtomicWrites#replaceFile}), so a reader finds the old file or the new one, never half a file and
 * never none. (Whole output directories: {@link io.sparklstm.prep.output.OutputRequest}.)
 */
public final class PreparedOutput {

    private PreparedOutput() {
    }

    /** Writes {@code value} as JSON to {@code dir/name}, replacing it atomically. */
    public static void writeJson(String dir, String name, Object value, Configuration conf) {
        try {
            writeAtomically(dir, name, Json.mapper().writeValueAsBytes(value), conf);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code bytes} to {@code dir/name}, replacing it atomically. */
    public static void writeAtomically(String dir, String name, byte[] bytes, Configuration conf) {
        Path target = new Path(dir, name);
        try {
            AtomicWrites.replaceFile(target, bytes, conf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
