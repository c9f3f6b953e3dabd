package io.sparklstm.prep.export;

import java.io.Serializable;

/** A written minibatch file: its split, its path relative to the dataset, its examples and size. */
public record BatchFile(int split, long index, String relativePath, int examples, long bytes)
        implements Serializable {
}
