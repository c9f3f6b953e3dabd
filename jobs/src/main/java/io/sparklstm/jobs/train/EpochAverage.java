package io.sparklstm.jobs.train;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The parameters after each of the last few epochs, and their mean (training.averageLastEpochs): weight
 * averaging of one network. The last epochs of a run wander around a region of low loss with the noise of the
 * minibatches; their mean sits nearer its middle than any one of them, which on small datasets gives steadier
 * held-out figures. Copies are kept (the network trains on in place), at most {@code size} of them.
 */
final class EpochAverage {

    private final int size;
    private final Deque<INDArray> snapshots = new ArrayDeque<>();

    /** An average over the last {@code size} epochs (at least one). */
    EpochAverage(int size) {
        if (size < 1) throw new IllegalArgumentException("an average needs at least one epoch, not " + size);
        this.size = size;
    }

    /** Keeps a copy of an epoch's parameters, dropping the oldest copy beyond {@code size}. */
    void add(INDArray params) {
        snapshots.addLast(params.dup());
        if (snapshots.size() > size) snapshots.removeFirst();
    }

    /** The epochs the mean is taken over now. */
    int count() {
        return snapshots.size();
    }

    /** The element-wise mean of the kept parameters (a new array). */
    INDArray mean() {
        if (snapshots.isEmpty()) throw new IllegalStateException("no epoch to average yet");
        INDArray sum = snapshots.getFirst().dup();
        snapshots.stream().skip(1).forEach(sum::addi);
        return sum.divi(snapshots.size());
    }
}
