package io.sparklstm.prep.export;

import java.io.Serializable;

/**
 * A written minibatch file: its split, its path relative to the dataset, its examples and size, and the
 * lengths of its sequences, read off the examples as they were written (so the manifest needs no other pass).
 *
 * @param minSteps   time steps of its shortest sequence
 * @param maxSteps   time steps of its longest sequence (the padded length of the batch)
 * @param totalSteps time steps of all its sequences together, before padding
 * @param masked     whether it carries a features mask: its sequences differ in length
 */
public record BatchFile(int split, long index, String relativePath, int examples, long bytes, int minSteps,
                        int maxSteps, long totalSteps, boolean masked) implements Serializable {
}
