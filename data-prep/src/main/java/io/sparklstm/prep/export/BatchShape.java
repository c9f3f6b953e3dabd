package io.sparklstm.prep.export;

import java.io.Serializable;

/**
 * What every minibatch of a dataset looks like.
 *
 * @param channels      features per time step
 * @param outputs       classes (one-hot labels) or forecast values per example
 * @param classification one-hot class labels rather than regression targets
 * @param minibatchSize examples per file
 */
public record BatchShape(int channels, int outputs, boolean classification, int minibatchSize)
        implements Serializable {
}
