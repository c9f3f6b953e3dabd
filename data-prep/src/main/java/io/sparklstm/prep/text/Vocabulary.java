package io.sparklstm.prep.text;

import io.sparklstm.prep.config.TextConfig;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The characters of the training split, sorted by code point; each is one class (and one input channel),
 * named by the character itself. With an unknown class, it comes last and takes every other character.
 */
final class Vocabulary implements Serializable {

    private final int[] codePoints;
    private final boolean unknownClass;

    Vocabulary(int[] sortedCodePoints, boolean unknownClass) {
        this.codePoints = sortedCodePoints.clone();
        this.unknownClass = unknownClass;
    }

    int size() {
        return codePoints.length + (unknownClass ? 1 : 0);
    }

    /** The class of a character: its index, the unknown class, or -1 when it has none. */
    int indexOf(int codePoint) {
        int i = Arrays.binarySearch(codePoints, codePoint);
        if (i >= 0) return i;
        return unknownClass ? codePoints.length : -1;
    }

    boolean contains(int codePoint) {
        return Arrays.binarySearch(codePoints, codePoint) >= 0;
    }

    /** Class names in index order: each character as a string, then {@link TextConfig#UNKNOWN_CLASS}. */
    List<String> names() {
        List<String> names = new ArrayList<>(size());
        for (int cp : codePoints) names.add(new String(Character.toChars(cp)));
        if (unknownClass) names.add(TextConfig.UNKNOWN_CLASS);
        return names;
    }
}
