package io.sparklstm.model.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The directory a bundle is written to or read from. Kept abstract so that the bundle works on any Hadoop
 * filesystem without this module depending on Hadoop.
 */
public interface BundleStore {

    OutputStream create(String name) throws IOException;

    InputStream open(String name) throws IOException;

    /** Where this store is, for messages. */
    String location();
}
