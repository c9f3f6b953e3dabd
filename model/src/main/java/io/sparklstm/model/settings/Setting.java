package io.sparklstm.model.settings;


import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One configuration key, declared once: its name, the type of its value, its default, what it means (the comment
 * {@code conf/defaults.conf} has above it, line by line) and the check of a value on its own. The records check their
 * values with {@link #check}, so that a bad value gets the one message {@code key = value is invalid: expected ...}.
 *
 * @param <T> the type of the value as the records hold it
 */
public final class Setting<T> {

    private final String key;
    private final ValueType type;
    private final T defaultValue;
    private final String doc;
    private final Validator<T> validator;
    private final Optional<Class<? extends Enum<?>>> enumType;
    /** Whether a message shows text in quotes, as a configuration file has it, or as it is. */
    private final boolean quoted;

    private Setting(String key, ValueType type, T defaultValue, String doc, Validator<T> validator,
                    Optional<Class<? extends Enum<?>>> enumType, boolean quoted) {
        this.key = Objects.requireNonNull(key);
        this.type = Objects.requireNonNull(type);
        this.defaultValue = Objects.requireNonNull(defaultValue, key);
        this.doc = doc.strip();
        this.validator = Objects.requireNonNull(validator);
        this.enumType = enumType;
        this.quoted = quoted;
    }

    public static Setting<Boolean> bool(String key, boolean defaultValue, String doc) {
        return new Setting<>(key, ValueType.BOOLEAN, defaultValue, doc, Validator.any(), Optional.empty(), true);
    }

    public static Setting<Integer> integer(String key, int defaultValue, Validator<Integer> validator, String doc) {
        return new Setting<>(key, ValueType.INT, defaultValue, doc, validator, Optional.empty(), true);
    }

    public static Setting<Long> longInteger(String key, long defaultValue, String doc) {
        return new Setting<>(key, ValueType.LONG, defaultValue, doc, Validator.any(), Optional.empty(), true);
    }

    public static Setting<Double> number(String key, double defaultValue, Validator<Double> validator, String doc) {
        return new Setting<>(key, ValueType.DOUBLE, defaultValue, doc, validator, Optional.empty(), true);
    }

    public static Setting<String> text(String key, String defaultValue, Validator<String> validator, String doc) {
        return new Setting<>(key, ValueType.STRING, defaultValue, doc, validator, Optional.empty(), true);
    }

    /** One of {@code type}'s constants, written in lower case; any other text is refused when read. */
    public static <E extends Enum<E>> Setting<E> choice(String key, Class<E> type, E defaultValue, String doc) {
        return new Setting<>(key, ValueType.ENUM, defaultValue, doc, Validator.any(), Optional.of(type), true);
    }

    public static Setting<List<Integer>> integers(String key, List<Integer> defaultValue,
                                                  Validator<List<Integer>> validator, String doc) {
        return new Setting<>(key, ValueType.INTS, List.copyOf(defaultValue), doc, validator, Optional.empty(), true);
    }

    public static Setting<List<Double>> numbers(String key, List<Double> defaultValue,
                                                Validator<List<Double>> validator, String doc) {
        return new Setting<>(key, ValueType.DOUBLES, List.copyOf(defaultValue), doc, validator, Optional.empty(), true);
    }

    public static Setting<List<String>> texts(String key, List<String> defaultValue, String doc) {
        return texts(key, defaultValue, Validator.any(), doc);
    }

    public static Setting<List<String>> texts(String key, List<String> defaultValue, Validator<List<String>> validator,
                                              String doc) {
        return new Setting<>(key, ValueType.STRINGS, List.copyOf(defaultValue), doc, validator, Optional.empty(), true);
    }

    /** A free-form section (empty by default) whose keys the user chooses; its values are read as text. */
    public static Setting<Map<String, String>> section(String key, String doc) {
        return new Setting<>(key, ValueType.SECTION, Map.of(), doc, Validator.any(), Optional.empty(), true);
    }

    /** This setting with messages that show a text value as it is rather than in quotes. */
    public Setting<T> shownAsIs() {
        return new Setting<>(key, type, defaultValue, doc, validator, enumType, false);
    }

    public String key() {
        return key;
    }

    /** The last part of the key, e.g. {@code learningRate} (a Spark ML parameter's name). */
    public String name() {
        return key.substring(key.lastIndexOf('.') + 1);
    }

    public ValueType type() {
        return type;
    }

    public T defaultValue() {
        return defaultValue;
    }

    /** The default as a configuration file writes it: an enum constant as its lower-case name. */
    public Object configDefault() {
        return defaultValue instanceof Enum<?> e ? e.name().toLowerCase(Locale.ROOT) : defaultValue;
    }

    /** What the setting means, as {@code conf/defaults.conf}'s comment above the key says it; may be empty. */
    public String doc() {
        return doc;
    }

    public Validator<T> validator() {
        return validator;
    }

    /** The enum of a {@link ValueType#ENUM} setting. */
    public Optional<Class<? extends Enum<?>>> enumType() {
        return enumType;
    }

    /** The values an {@link ValueType#ENUM} setting accepts, as written ({@code [lstm, peephole]}); else empty. */
    public List<String> choices() {
        return enumType.map(t -> Arrays.stream(t.getEnumConstants())
                .map(v -> v.name().toLowerCase(Locale.ROOT)).toList()).orElse(List.of());
    }

    /** The message about {@code value}, when this setting's validator refuses it. */
    public Optional<String> problem(T value) {
        return validator.expected(value).map(expected -> message(value, expected));
    }

    /** {@code value}, when the validator accepts it; an {@link IllegalArgumentException} with the message if not. */
    public T check(T value) {
        Optional<String> problem = problem(value);
        if (problem.isPresent()) throw new IllegalArgumentException(problem.get());
        return value;
    }

    /**
     * {@code key = value is invalid: expected ...}, for a check that needs more than this value (another setting,
     * the data): the one form of every message about a setting.
     */
    public String message(Object value, String expected) {
        return InvalidSetting.message(key, quoted ? InvalidSetting.quoted(value) : String.valueOf(value), expected);
    }

    /** {@link #message} as an {@link IllegalArgumentException}, for the records to throw. */
    public IllegalArgumentException invalid(Object value, String expected) {
        return new IllegalArgumentException(message(value, expected));
    }

    @Override
    public String toString() {
        return key;
    }
}
