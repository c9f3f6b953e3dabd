package io.sparklstm.prep.config;

import io.sparklstm.model.settings.Section;
import io.sparklstm.model.settings.Setting;

import java.util.List;

/** The {@code dataset} section of the configuration: which kind of raw data {@code prepare} reads. */
public final class DatasetKeys {

    private DatasetKeys() {
    }

    public static final Setting<DatasetKind> KIND = Setting.choice("dataset.kind", DatasetKind.class,
            DatasetKind.TIMESERIES, """
            timeseries: a timestamped table cut into forecasting windows
            sequences:  one labelled sequence per line, for sequence classification
            ts:         sktime/UEA .ts files (header of @ lines, then one labelled multichannel case per line, of
                        variable length), for sequence classification; channels and classes come from the header
                        (@dimensions, @classLabel true ...), so input.header, input.delimiter and sequences.* are unused
            text:       character-level text, cut by position into sequences labelled at every step with the next
                        character (a character language model); see text.* below. split.method must be time
            """);

    public static final Section SECTION = new Section("dataset", List.of(KIND));
}
