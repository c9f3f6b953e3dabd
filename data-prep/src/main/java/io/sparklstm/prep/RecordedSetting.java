package io.sparklstm.prep;

/**
 * A preparation setting, recorded in the manifest and the model, that changes what the model sees beyond the
 * fields a preparation has; two records must agree on it.
 *
 * @param choice whether its values are choices (enum names), compared regardless of case; others compare exactly
 */
public record RecordedSetting(String key, boolean choice) {

    public static RecordedSetting choice(String key) {
        return new RecordedSetting(key, true);
    }

    public static RecordedSetting exact(String key) {
        return new RecordedSetting(key, false);
    }
}
