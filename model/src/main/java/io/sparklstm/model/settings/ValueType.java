package io.sparklstm.model.settings;

/** The kinds of value a setting holds, as a configuration file writes them. */
public enum ValueType {
    BOOLEAN("true or false"),
    INT("an integer"),
    LONG("an integer"),
    DOUBLE("a number"),
    STRING("a string"),
    /** One of an enum's constants, written in lower case. */
    ENUM("a string"),
    INTS("a list of integers"),
    DOUBLES("a list of numbers"),
    STRINGS("a list of strings"),
    /** A free-form section of keys chosen by the user (Spark properties, per-column policies). */
    SECTION("a section");

    private final String description;

    ValueType(String description) {
        this.description = description;
    }

    /** How a configuration file writes such a value, for documentation. */
    public String description() {
        return description;
    }

    /** Whether the value is a list of numbers, which an empty default cannot show. */
    public boolean numberList() {
        return this == INTS || this == DOUBLES;
    }
}
