package io.sparklstm.prep.export;

import java.io.Serializable;

/**
 * What every minibatch of a dataset looks like.
 *
 * @param channels      features per time step
 * @param outputs       classes (one-hot labels) or forecast values per example
 * @param classification one-hot class labels rather than regression targets
 * @param minibatchSize examples per file
 * @param stepLabels    a class label at every time step ({@code [batch, classes, steps]}, masked like the
 *                      features) rather than one per example
 */
public record BatchShape(int channels, int outputs, boolean classification, int minibatchSize, boolean stepLabels)
        implements Serializable {

    /** One label (class or forecast) per example. */
    public BatchShape(int channels, int outputs, boolean classification, int minibatchSize) {
        this(channels, outputs, classification, minibatchSize, false);
    }
}
