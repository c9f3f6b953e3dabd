package io.sparklstm.model.settings;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What values of one setting can work, and what to say when one cannot: the {@code expected ...} part of
 * {@code key = value is invalid: expected ...}. Checks that need two settings stay with the record that holds both.
 *
 * @param <T> the type of the setting's value
 */
@FunctionalInterface
public interface Validator<T> {

    /** What would work, when {@code value} does not; empty when it does. */
    Optional<String> expected(T value);

    /** Whether {@code value} is valid (for Spark ML's {@code Param} validators). */
    default boolean isValid(T value) {
        return expected(value).isEmpty();
    }

    /** This check, then {@code next} on a value this one accepts. */
    default Validator<T> and(Validator<T> next) {
        return value -> {
            Optional<String> first = expected(value);
            return first.isPresent() ? first : next.expected(value);
        };
    }

    /** Values that pass {@code test}; {@code expected} otherwise. */
    static <T> Validator<T> of(Predicate<? super T> test, String expected) {
        return value -> test.test(value) ? Optional.empty() : Optional.of(expected);
    }

    /** Any value of the type. */
    static <T> Validator<T> any() {
        return value -> Optional.empty();
    }

    /** An integer of at least 1: "a positive integer". */
    static Validator<Integer> positive() {
        return of(v -> v >= 1, "a positive integer");
    }

    /** An integer of at least 0: ">= 0". */
    static Validator<Integer> nonNegative() {
        return of(v -> v >= 0, ">= 0");
    }

    /** A number of at least 0 (not NaN): ">= 0". */
    static Validator<Double> atLeastZero() {
        return of(v -> v >= 0, ">= 0");
    }

    /** A number above 0 (not NaN): "> 0". */
    static Validator<Double> aboveZero() {
        return of(v -> v > 0, "> 0");
    }

    /** One of {@code allowed}, compared as written; {@code expected} otherwise. */
    static Validator<String> oneOf(List<String> allowed, String expected) {
        return of(allowed::contains, expected);
    }

    /** Text with more than blanks: "a non-empty string". */
    static Validator<String> nonBlank() {
        return of(v -> v != null && !v.isBlank(), "a non-empty string");
    }
}
