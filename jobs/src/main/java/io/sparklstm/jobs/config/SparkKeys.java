package io.sparklstm.jobs.config;

import io.sparklstm.model.settings.Section;
import io.sparklstm.model.settings.Setting;
import io.sparklstm.model.settings.Validator;

import java.util.List;
import java.util.Map;

/** The {@code spark} section of the configuration, which {@link SparkSettings} holds. */
public final class SparkKeys {

    private SparkKeys() {
    }

    public static final Setting<String> MASTER = Setting.text("spark.master", "local[*]", Validator.any(), """
            the master used when neither --master nor spark-submit names one
            """);
    public static final Setting<String> APP_NAME = Setting.text("spark.appName", "spark-lstm", Validator.any(), """
            the application's name in Spark's UI and logs
            """);
    /** Free-form: the keys are Spark's. */
    public static final Setting<Map<String, String>> CONF = Setting.section("spark.conf", """
            Spark properties, passed as they are (e.g. spark.conf { "spark.executor.memory" = "4g" })
            """);

    public static final Section SECTION = new Section("spark", List.of(MASTER, APP_NAME, CONF));
}
