package io.sparklstm.prep;

/**
 * A setting that {@code predict} takes from its configuration, beside the value the model was trained with, both
 * as a message shows them (text quoted); {@code same} says whether new data would be prepared the model's way.
 */
public record SettingComparison(String key, Object configured, Object model, boolean same) {

    /** A text setting, quoted in messages. */
    public static SettingComparison text(String key, String configured, String model, boolean same) {
        return new SettingComparison(key, "\"" + configured + "\"", "\"" + model + "\"", same);
    }
}
