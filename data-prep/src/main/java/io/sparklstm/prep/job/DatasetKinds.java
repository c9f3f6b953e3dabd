package io.sparklstm.prep.job;

import io.sparklstm.prep.DatasetKindSupport;
import io.sparklstm.prep.config.DatasetKind;
import io.sparklstm.prep.sequences.SequencesKind;
import io.sparklstm.prep.text.TextKind;
import io.sparklstm.prep.timeseries.TimeSeriesKind;
import io.sparklstm.prep.uea.TsKind;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The one place where dataset kinds meet their implementations: a new kind is its package plus one line here
 * (and its constant in {@link DatasetKind}, which names its settings checks). Everything else asks
 * {@link #of(DatasetKind)} instead of switching on the kind.
 */
public final class DatasetKinds {

    /**
     * One implementation per kind. The order is the order in which Kryo registers their serialized types, which
     * must be the same in every JVM of a job; it is this list's.
     */
    private static final List<DatasetKindSupport> REGISTERED = List.of(
            new TimeSeriesKind(),
            new TextKind(),
            new SequencesKind(),
            new TsKind());

    private static final Map<DatasetKind, DatasetKindSupport> BY_KIND = index(REGISTERED);

    private DatasetKinds() {
    }

    /** The implementation of {@code kind}. */
    public static DatasetKindSupport of(DatasetKind kind) {
        return BY_KIND.get(kind);
    }

    /**
     * The implementation of the kind a manifest or a model records ({@code "timeseries"}, ...); empty for a name
     * that is no kind of this build.
     */
    public static Optional<DatasetKindSupport> named(String kind) {
        return REGISTERED.stream().filter(k -> k.kind().name().toLowerCase(Locale.ROOT).equals(kind)).findFirst();
    }

    /** Every registered implementation, in registration order. */
    public static List<DatasetKindSupport> all() {
        return REGISTERED;
    }

    /**
     * The kinds that {@code test} holds for, as {@code dataset.kind} values for a message ("a or b"); in
     * {@link Locale#ROOT}, as the names were written when the messages named them literally.
     */
    public static String names(Predicate<DatasetKindSupport> test) {
        return String.join(" or ", REGISTERED.stream().filter(test)
                .map(k -> k.kind().name().toLowerCase(Locale.ROOT)).toList());
    }

    /** Fails, when the class is first used, unless every kind has exactly one implementation. */
    static Map<DatasetKind, DatasetKindSupport> index(List<DatasetKindSupport> registered) {
        Map<DatasetKind, DatasetKindSupport> byKind = new EnumMap<>(DatasetKind.class);
        for (DatasetKindSupport support : registered) {
            DatasetKindSupport before = byKind.put(support.kind(), support);
            if (before != null) {
                throw new IllegalStateException("dataset kind " + support.kind() + " is registered twice: "
                        + before.getClass().getName() + " and " + support.getClass().getName());
            }
        }
        for (DatasetKind kind : DatasetKind.values()) {
            if (!byKind.containsKey(kind)) {
                throw new IllegalStateException("dataset kind " + kind + " has no implementation in DatasetKinds");
            }
        }
        return Map.copyOf(byKind);
    }
}
