package io.sparklstm.jobs.train;

import io.sparklstm.model.bundle.BundleStore;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A model bundle directory on any Hadoop filesystem ({@code file://}, {@code hdfs://}, {@code s3a://}). The
 * filesystem is taken from the directory's own scheme, not from the default filesystem, so a bundle on HDFS
 * is read and written there whatever {@code fs.defaultFS} says. Files are created whole in this directory;
 * {@link RunDirectory#writeBundle} makes the bundle as a whole appear atomically.
 */
public final class HadoopBundleStore implements BundleStore {

    private final Path directory;
    private final Configuration conf;

    public HadoopBundleStore(Path directory, Configuration conf) {
        this.directory = directory;
        this.conf = conf;
    }

    @Override
    public OutputStream create(String name) throws IOException {
        return directory.getFileSystem(conf).create(new Path(directory, name), true);
    }

    @Override
    public InputStream open(String name) throws IOException {
        return directory.getFileSystem(conf).open(new Path(directory, name));
    }

    @Override
    public String location() {
        return directory.toString();
    }
}
