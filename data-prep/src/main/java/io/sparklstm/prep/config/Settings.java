package io.sparklstm.prep.config;

import io.sparklstm.model.settings.Setting;

import java.util.Optional;

/**
 * How the settings records refuse a value: an {@link InvalidSettingsException} with the setting's one message,
 * {@code key = value is invalid: expected ...}, the value as a configuration file has it.
 */
final class Settings {
    private Settings() {
    }

    /** {@code value}, when {@code setting}'s own check accepts it. */
    static <T> T check(Setting<T> setting, T value) {
        Optional<String> problem = setting.problem(value);
        if (problem.isPresent()) throw new InvalidSettingsException(problem.get());
        return value;
    }

    /** A value refused by a check that needs more than the value: another setting, the dataset kind. */
    static InvalidSettingsException invalid(Setting<?> setting, Object value, String expected) {
        return new InvalidSettingsException(setting.message(value, expected));
    }
}
