package io.sparklstm.prep.io;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function0;
import org.apache.spark.api.java.function.Function2;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Aggregation whose result does not depend on which task finishes first. Spark's {@code aggregate} and
 * {@code treeAggregate} merge partial results as tasks complete, so sums of doubles (a normalizer's means and
 * variances) changed in their last bits from run to run, and with them the manifest. Here each partition's
 * partial result comes back with {@code collect}, in partition order, and the driver merges them in that order.
 */
public final class InOrder {

    private InOrder() {
    }

    /**
     * One summary of each partition (its index and rows), in partition order: {@code collect} returns the
     * partitions' results in that order, so no index needs to travel with them.
     */
    public static <T, U> List<U> perPartition(JavaRDD<T> rdd, Function2<Integer, Iterator<T>, U> summary) {
        return rdd.mapPartitionsWithIndex((p, part) -> Collections.singletonList(summary.call(p, part)).iterator(),
                true).collect();
    }

    public static <T, U> U aggregate(JavaRDD<T> rdd, Function0<U> zero, Function2<U, T, U> add,
                                     Function2<U, U, U> merge) {
        List<U> partials = perPartition(rdd, (p, part) -> {
            U u = zero.call();
            while (part.hasNext()) u = add.call(u, part.next());
            return u;
        });
        try {
            U out = zero.call();
            for (U partial : partials) out = merge.call(out, partial);
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("merging partial results", e);
        }
    }
}
