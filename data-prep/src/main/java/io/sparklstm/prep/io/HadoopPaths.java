package io.sparklstm.prep.io;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Paths as executors must see them: qualified with their filesystem, relative paths made absolute. */
public final class HadoopPaths {

    private HadoopPaths() {
    }

    public static String qualify(String path, Configuration conf) {
        try {
            Path p = new Path(path);
            return p.getFileSystem(conf).makeQualified(p).toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve the path " + path + ": " + e.getMessage(), e);
        }
    }
}
