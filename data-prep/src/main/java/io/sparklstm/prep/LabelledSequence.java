package io.sparklstm.prep;

import io.sparklstm.model.data.Standardizer;
import io.sparklstm.prep.export.Example;
import io.sparklstm.prep.io.InOrder;
import org.apache.spark.api.java.JavaRDD;

import java.util.ArrayList;
import java.util.List;

/**
 * A labelled sequence parsed from one line of an input file, as the sequence kinds ({@code sequences},
 * {@code ts}) produce it: values channel-major ({@code [c * steps + t]}), a class label, a split.
 */
public interface LabelledSequence {

    int fileIndex();

    long line();

    int label();

    /** 0 train, 1 validation, 2 test, -1 none. */
    int split();

    double[] values();

    int steps();

    /**
     * This sequence as the network's inputs ({@code prepare.perSequence}, {@code prepare.sequenceStats}), then
     * standardized, as a minibatch example ordered by file and line.
     */
    default Example toExample(SequenceInputs inputs, Standardizer normalizer) {
        return Example.ofLine(split(), fileIndex(), line(), steps(),
                normalizer.transformSequence(inputs.apply(values(), steps()), steps()), label());
    }

    /** Names of the channels: "value" for one, "channel0", "channel1", ... for several. */
    static List<String> channelNames(int channels) {
        List<String> names = new ArrayList<>(channels);
        for (int c = 0; c < channels; c++) names.add(channels == 1 ? "value" : "channel" + c);
        return names;
    }

    /**
     * Per-channel statistics over every step of the training sequences only, each made the network's inputs first
     * (or the identity when normalizing is off); one column per input channel.
     */
    static <T extends LabelledSequence> Standardizer fitNormalizer(JavaRDD<T> sequences, int channels,
                                                                   SequenceInputs inputs, boolean normalize) {
        List<String> names = inputs.names(channelNames(channels));
        if (!normalize) {
            return Moments.identity(names);
        }
        return InOrder.aggregate(sequences.filter(s -> s.split() == 0), () -> new Moments(names.size()),
                (Moments m, T s) -> m.addSequence(inputs.apply(s.values(), s.steps()), s.steps()),
                Moments::merge).toStandardizer(names);
    }

    /** The examples of every sequence that belongs to a split. */
    static <T extends LabelledSequence> JavaRDD<Example> examples(JavaRDD<T> sequences, SequenceInputs inputs,
                                                                  Standardizer normalizer) {
        return sequences.filter(s -> s.split() >= 0).map(s -> s.toExample(inputs, normalizer));
    }
}
