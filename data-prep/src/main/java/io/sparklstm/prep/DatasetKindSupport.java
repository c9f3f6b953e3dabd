package io.sparklstm.prep;

import io.sparklstm.model.Task;
import io.sparklstm.model.data.DatasetManifest;
import io.sparklstm.model.data.Preparation;
import io.sparklstm.prep.config.DatasetKind;
import io.sparklstm.prep.config.PrepareConfig;
import io.sparklstm.prep.io.InputFiles;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What one dataset kind does with Spark, and the words it uses about its data: the small interface in front of
 * the kind's preparer. One implementation per {@link DatasetKind} lives in the kind's own package and is
 * registered in {@link io.sparklstm.prep.job.DatasetKinds}; {@code prepare}, {@code predict}, the preparation checks of
 * {@code evaluate} and {@code retrain}, and Kryo's registrator ask the registry rather than switch on the kind. The kind's cross-key checks of its settings run earlier, in
 * {@link PrepareConfig}'s constructor (see {@link DatasetKind}).
 */
public interface DatasetKindSupport {

    /** The kind this implements. */
    DatasetKind kind();

    /**
     * The classes its Spark stages cache, shuffle and collect, for Kryo to register
     * ({@link io.sparklstm.prep.job.SerializedTypes}).
     */
    List<Class<?>> serializedTypes();

    /** {@code prepare}: the raw data as examples of the three splits, with what the manifest records of them. */
    PreparedExamples prepare(JavaSparkContext sc, PrepareConfig config, PrepareInputs inputs);

    /**
     * Whether it prepares new data with a model's own normalizer and vocabularies ({@link PrepareInputs#reuse()});
     * the kinds that do not refuse such a request before any work.
     */
    default boolean reusesPreparation() {
        return false;
    }

    /**
     * What a split held, in words, for the message about a split left without examples: {@code rows} is the
     * number of the kind's units (rows, sequences, cases, characters) assigned to it.
     */
    String splitContents(long rows, PrepareConfig config);

    /**
     * Where an example came from, for the message about examples found in two splits, from its entity and
     * position (see {@code Example}); {@code paths} are the input files, then the test files, in listing order.
     */
    String place(String entity, long position, List<String> paths);

    /**
     * The place of an example of the sequence kinds, whose position holds its file's index (in {@code paths}) above
     * bit 40 and its line below: {@code file:line}.
     */
    static String fileAndLine(long position, List<String> paths) {
        return paths.get((int) (position >>> 40)) + ":" + (position & ((1L << 40) - 1));
    }

    /** The task of this kind's models that {@code predict} scores; empty when it scores none of them. */
    default Optional<Task> scoredTask() {
        return Optional.empty();
    }

    /**
     * {@code predict}: new raw data, prepared with the model's preparation, as the cases its models score; called
     * only for a model of {@link #scoredTask()}.
     *
     * @param lastOnly forecasting: only the window that ends at each series' last row
     */
    default ScoringCases scoringCases(JavaSparkContext sc, PrepareConfig config, InputFiles files, Preparation model,
                                      boolean lastOnly) {
        throw new UnsupportedOperationException("predict scores no model of dataset.kind = "
                + kind().name().toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * {@code predict}: the settings of this kind it takes from its configuration rather than from the model (the
     * window, the series, what is made of a sequence), each beside the model's; a difference means new data would
     * be prepared otherwise than the model's training data. Called only for a model of this kind.
     *
     * @param recorded a setting the model recorded, by key, as text (over the defaults); empty when it recorded
     *                 no settings
     */
    default List<SettingComparison> appliedSettings(Preparation model, PrepareConfig config,
                                                    Function<String, Optional<String>> recorded) {
        return List.of();
    }

    /**
     * {@code evaluate}, {@code retrain}: the preparation settings of this kind, recorded with a dataset and a
     * model, on which a dataset and the model's training data must agree (a key absent from a record had its
     * default then).
     */
    List<RecordedSetting> recordedSettings();

    /**
     * {@code evaluate}, {@code retrain}: the lengths of this kind's examples in a prepared dataset beside the
     * model's (the window and horizon, the sequence length), named by the setting that decides them; empty for
     * kinds whose sequences keep their own length.
     */
    default List<SettingComparison> shapeSettings(Preparation model, DatasetManifest data) {
        return List.of();
    }

    /** What a model of this kind reads, in words, added to an error about input that does not fit it. */
    String expectedInput(Preparation model, PrepareConfig config);
}
