package io.sparklstm.prep.job;

import io.sparklstm.prep.DatasetKindSupport;
import io.sparklstm.prep.Moments;
import io.sparklstm.prep.ParsedLine;
import io.sparklstm.prep.PreparedExamples;
import io.sparklstm.prep.Rejection;
import io.sparklstm.prep.export.BatchFile;
import io.sparklstm.prep.export.Example;
import io.sparklstm.prep.export.ExampleOrder;
import io.sparklstm.prep.io.TextLine;

import java.util.ArrayList;
import java.util.List;

/**
 * The classes whose objects {@code prepare} caches, shuffles and collects, one per row or example. Registered
 * with Kryo, each is written as a small number; unregistered, Kryo wrote its full class name with every object
 * and looked it up again when reading, which with reference tracking took most of {@code prepare}'s time.
 * The order must be the same in every JVM of a job (it is: this list, then each kind's in the registry's order).
 */
public final class SerializedTypes {

    private SerializedTypes() {
    }

    public static List<Class<?>> all() {
        List<Class<?>> types = new ArrayList<>(List.of(
                Example.class, ExampleOrder.class, BatchFile.class, Rejection.class, ParsedLine.class, Moments.class,
                TextLine.class, PreparedExamples.SplitRows.class,
                double[].class, float[].class, long[].class, int[].class, String[].class, ArrayList.class,
                java.util.HashMap.class, java.util.LinkedHashMap.class, java.util.TreeMap.class));
        for (DatasetKindSupport kind : DatasetKinds.all()) types.addAll(kind.serializedTypes());
        return types;
    }
}
