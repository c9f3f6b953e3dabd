package io.sparklstm.jobs.config;

import io.sparklstm.model.ModelKeys;
import io.sparklstm.model.settings.Section;
import io.sparklstm.model.settings.Setting;
import io.sparklstm.prep.config.DatasetKeys;
import io.sparklstm.prep.config.InputKeys;
import io.sparklstm.prep.config.PrepareKeys;
import io.sparklstm.prep.config.SequencesKeys;
import io.sparklstm.prep.config.SplitKeys;
import io.sparklstm.prep.config.TextKeys;
import io.sparklstm.prep.config.TimeSeriesKeys;
import io.sparklstm.prep.config.TsKeys;

import java.util.List;
import java.util.Optional;

/**
 * Every section of the configuration whose settings are declared ({@link Setting}: key, type, default, meaning,
 * check), in the order of {@code conf/defaults.conf}, which a test holds to them both ways, as it holds the key table
 * of {@code docs/configuration.md} ({@link SettingsTable}). Each section's catalogue lives beside the record that holds
 * its values.
 */
public final class Catalogue {

    private Catalogue() {
    }

    public static final List<Section> SECTIONS = List.of(DatasetKeys.SECTION, InputKeys.SECTION,
            TimeSeriesKeys.SECTION, SequencesKeys.SECTION, TsKeys.SECTION, TextKeys.SECTION, SplitKeys.SECTION,
            PrepareKeys.SECTION, ModelKeys.SECTION, TrainingKeys.SECTION, RetrainKeys.SECTION, SparkKeys.SECTION);

    /** The section named {@code name}, if declared. */
    public static Optional<Section> section(String name) {
        return SECTIONS.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The declared setting of {@code key}. */
    public static Optional<Setting<?>> setting(String key) {
        return SECTIONS.stream().flatMap(s -> s.setting(key).stream()).findFirst();
    }

    /** Every declared setting, section by section. */
    public static List<Setting<?>> settings() {
        return SECTIONS.stream().flatMap(s -> s.settings().stream()).toList();
    }
}
