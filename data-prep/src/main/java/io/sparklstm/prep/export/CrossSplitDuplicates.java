package io.sparklstm.prep.export;

import io.sparklstm.prep.io.InOrder;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Examples whose content (inputs, targets, class: {@link Example#contentHash}) occurs in two splits: a test case
 * that is also a training case makes the test score a score on training data. Found from the examples' small
 * keys alone, with one shuffle of 128-bit hashes and places; the examples themselves are not read again.
 */
public final class CrossSplitDuplicates {

    /** Samples of duplicated content kept for messages. */
    static final int SAMPLES = 5;

    private CrossSplitDuplicates() {
    }

    /** An example's content hash and place, as the writer's keys carry them. */
    public record Key(ExampleOrder order, long content1, long content2) implements Serializable {
        static Key of(Example e, long seed) {
            long[] h = e.contentHash();
            return new Key(ExampleOrder.of(e, seed), h[0], h[1]);
        }
    }

    /** Where a content occurs: examples per split, and the first place (entity, position) in each split. */
    record Occurrences(long[] counts, String[] entity, long[] position) implements Serializable {
        static Occurrences of(ExampleOrder o) {
            long[] counts = new long[3];
            String[] entity = new String[3];
            long[] position = new long[3];
            counts[o.split()] = 1;
            entity[o.split()] = o.entity();
            position[o.split()] = o.position();
            return new Occurrences(counts, entity, position);
        }

        Occurrences merge(Occurrences other) {
            long[] c = counts.clone();
            String[] e = entity.clone();
            long[] p = position.clone();
            for (int s = 0; s < 3; s++) {
                if (other.counts[s] == 0) continue;
                boolean earlier = c[s] == 0 || other.entity[s].compareTo(e[s]) < 0
                        || (other.entity[s].equals(e[s]) && other.position[s] < p[s]);
                c[s] += other.counts[s];
                if (earlier) {
                    e[s] = other.entity[s];
                    p[s] = other.position[s];
                }
            }
            return new Occurrences(c, e, p);
        }

        int splits() {
            int n = 0;
            for (long c : counts) if (c > 0) n++;
            return n;
        }
    }

    /** One duplicated content: a place in an earlier split and one in a later split. */
    public record Sample(int earlierSplit, String earlierEntity, long earlierPosition, int laterSplit,
                         String laterEntity, long laterPosition) implements Serializable {
    }

    /**
     * What was found.
     *
     * @param pairs   for the pairs (train, validation), (train, test), (validation, test): the examples of the
     *                later split whose content also occurs in the earlier one
     * @param samples a few of them, the earliest by place
     */
    public record Found(long[] pairs, List<Sample> samples) implements Serializable {
        public static final List<String> PAIR_NAMES = List.of("train-validation", "train-test", "validation-test");

        static Found none() {
            return new Found(new long[3], List.of());
        }

        public long total() {
            return pairs[0] + pairs[1] + pairs[2];
        }

        Found add(Occurrences o) {
            long[] p = pairs.clone();
            List<Sample> s = new ArrayList<>(samples);
            int[][] pairSplits = {{0, 1}, {0, 2}, {1, 2}};
            for (int i = 0; i < 3; i++) {
                int a = pairSplits[i][0];
                int b = pairSplits[i][1];
                if (o.counts[a] == 0 || o.counts[b] == 0) continue;
                p[i] += o.counts[b];
                s.add(new Sample(a, o.entity[a], o.position[a], b, o.entity[b], o.position[b]));
            }
            return new Found(p, earliest(s));
        }

        Found merge(Found other) {
            long[] p = pairs.clone();
            for (int i = 0; i < 3; i++) p[i] += other.pairs[i];
            List<Sample> s = new ArrayList<>(samples);
            s.addAll(other.samples);
            return new Found(p, earliest(s));
        }

        private static List<Sample> earliest(List<Sample> samples) {
            return samples.stream().sorted(Comparator.comparingInt(Sample::laterSplit).reversed()
                            .thenComparing(Sample::laterEntity).thenComparingLong(Sample::laterPosition))
                    .limit(SAMPLES).toList();
        }
    }

    /** Every content that occurs in two splits, from the writer's keys (one shuffle of hashes and places). */
    public static Found find(JavaRDD<Key> keys) {
        JavaRDD<Occurrences> shared = keys
                .mapToPair(k -> new Tuple2<>(new Tuple2<>(k.content1(), k.content2()), Occurrences.of(k.order())))
                .reduceByKey(Occurrences::merge)
                .values()
                .filter(o -> o.splits() > 1);
        return InOrder.aggregate(shared, Found::none, Found::add, Found::merge);
    }
}
