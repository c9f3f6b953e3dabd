package io.sparklstm.model.settings;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingTest {

    enum Colour { RED, DARK_BLUE }

    @Test
    void aRefusedValueGetsTheOneMessageWithTheKeyTheValueAndWhatWouldWork() {
        Setting<Integer> steps = Setting.integer("a.steps", 3, Validator.positive(), "steps");
        assertEquals(3, steps.check(3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> steps.check(0));
        assertEquals("a.steps = 0 is invalid: expected a positive integer", e.getMessage());
        Setting<String> name = Setting.text("a.name", "x", Validator.nonBlank(), "name");
        assertEquals(Optional.of("a.name = \" \" is invalid: expected a non-empty string"), name.problem(" "));
        assertEquals(Optional.of("a.name =   is invalid: expected a non-empty string"),
                name.shownAsIs().problem(" "), "shown as it is, unquoted");
    }

    @Test
    void combinedChecksSayWhatTheFirstOneToRefuseExpects() {
        Validator<List<Integer>> layers = Validator.<List<Integer>>of(l -> !l.isEmpty(), "at least one")
                .and(Validator.of(l -> l.stream().allMatch(u -> u > 0), "positive counts"));
        assertEquals(Optional.of("at least one"), layers.expected(List.of()));
        assertEquals(Optional.of("positive counts"), layers.expected(List.of(3, 0)));
        assertTrue(layers.isValid(List.of(3)));
        assertFalse(Validator.atLeastZero().isValid(Double.NaN), "NaN is not >= 0");
    }

    @Test
    void anEnumSettingIsWrittenInLowerCaseAndNamesItsChoices() {
        Setting<Colour> colour = Setting.choice("a.colour", Colour.class, Colour.DARK_BLUE, "the colour");
        assertEquals(ValueType.ENUM, colour.type());
        assertEquals("dark_blue", colour.configDefault());
        assertEquals(List.of("red", "dark_blue"), colour.choices());
        assertEquals("colour", colour.name());
    }

    @Test
    void aSectionHoldsOnlyItsOwnKeys() {
        Setting<Boolean> flag = Setting.bool("b.flag", true, "");
        assertThrows(IllegalArgumentException.class, () -> new Section("a", List.of(flag)));
        assertEquals(Optional.of(flag), new Section("b", List.of(flag)).setting("b.flag"));
    }
}
