package io.sparklstm.model.settings;

import java.util.List;
import java.util.Optional;

/**
 * The settings of one section of the configuration ({@code model}, {@code training}, ...), in the order
 * {@code conf/defaults.conf} lists them.
 *
 * @param name     the section's key
 * @param settings its settings, subsections' included (their keys say where they are)
 */
public record Section(String name, List<Setting<?>> settings) {

    public Section {
        settings = List.copyOf(settings);
        for (Setting<?> s : settings) {
            if (!s.key().startsWith(name + ".")) {
                throw new IllegalArgumentException(s.key() + " is not in section " + name);
            }
        }
    }

    /** The setting of {@code key}, if this section declares it. */
    public Optional<Setting<?>> setting(String key) {
        return settings.stream().filter(s -> s.key().equals(key)).findFirst();
    }
}
