package io.sparklstm.ml;

import io.sparklstm.model.settings.Setting;
import io.sparklstm.model.settings.ValueType;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;
import scala.Function1;

import java.util.List;

/**
 * Spark ML parameters made from configuration keys: the type of the key's value ({@code model.layers}, a list of
 * integers, is an {@code IntArrayParam}), its documentation, its shipped default, and a validator that asks the
 * configuration's own checks, so that a bad value is refused when it is set, naming the parameter and the key.
 */
final class KeyParams {

    private KeyParams() {
    }

    /** The parameter of {@code m} for {@code owner}, with its default set. */
    static Param<?> create(Params owner, ConfigParams table, ConfigParams.Mapping m) {
        Function1<Object, Object> valid = v -> table.check(owner.uid(), m.param(), v);
        if (m.param().equals(ConfigParams.VALIDATION_FRACTION)) {
            DoubleParam p = new DoubleParam(owner, m.param(), "fraction of the rows held out as the validation split "
                    + "(per-epoch validation metrics, keepBest and early stopping on them), the rest trained on; "
                    + "0: train on every row, the caller holds data out (split.fractions = [1 - f, f, 0])", valid);
            owner.setDefault(p, 0.0);
            return p;
        }
        Setting<?> setting = m.setting();
        String doc = ConfigParams.doc(m);
        Param<?> p = switch (setting.type()) {
            case BOOLEAN -> new BooleanParam(owner, m.param(), doc);
            case INT -> new IntParam(owner, m.param(), doc, valid);
            case LONG -> new LongParam(owner, m.param(), doc, valid);
            case DOUBLE -> new DoubleParam(owner, m.param(), doc, valid);
            case STRING, ENUM -> new Param<String>(owner, m.param(), doc, cast(valid));
            case INTS -> new IntArrayParam(owner, m.param(), doc, cast(valid));
            case DOUBLES -> new DoubleArrayParam(owner, m.param(), doc, cast(valid));
            case STRINGS -> new StringArrayParam(owner, m.param(), doc, cast(valid));
            case SECTION -> throw new IllegalArgumentException(m.param() + ": a section is no Spark ML parameter");
        };
        @SuppressWarnings("unchecked")
        Param<Object> any = (Param<Object>) p;
        owner.setDefault(any, sparkValue(setting.type(), setting.configDefault()));
        return p;
    }

    @SuppressWarnings("unchecked")
    private static <T> Function1<T, Object> cast(Function1<Object, Object> f) {
        return (Function1<T, Object>) (Function1<?, ?>) f;
    }

    /** A configuration value as Spark holds it: lists as Java arrays. */
    static Object sparkValue(ValueType type, Object configValue) {
        List<?> list = configValue instanceof List<?> l ? l : List.of();
        return switch (type) {
            case INTS -> list.stream().mapToInt(v -> ((Number) v).intValue()).toArray();
            case DOUBLES -> list.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
            case STRINGS -> list.stream().map(String::valueOf).toArray(String[]::new);
            default -> configValue;
        };
    }
}
