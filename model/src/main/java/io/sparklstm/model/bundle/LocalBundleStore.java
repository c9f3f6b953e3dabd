package io.sparklstm.model.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A bundle directory on the local filesystem. */
public final class LocalBundleStore implements BundleStore {

    private final Path directory;

    public LocalBundleStore(Path directory) {
        this.directory = directory;
    }

    @Override
    public OutputStream create(String name) throws IOException {
        Files.createDirectories(directory);
        return Files.newOutputStream(directory.resolve(name));
    }

    @Override
    public InputStream open(String name) throws IOException {
        return Files.newInputStream(directory.resolve(name));
    }

    @Override
    public String location() {
        return directory.toString();
    }
}
