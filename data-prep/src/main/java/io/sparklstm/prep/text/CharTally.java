package io.sparklstm.prep.text;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * Occurrences of every character per split (index 3: after the test block): all that comes back to the
 * driver to build the vocabulary and count what it does not cover.
 */
final class CharTally implements Serializable {

    private final TextLayout layout;
    private final HashMap<Integer, long[]> counts = new HashMap<>();

    CharTally(TextLayout layout) {
        this.layout = layout;
    }

    CharTally add(TextPiece piece) {
        long p = piece.start();
        for (int cp : piece.codePoints()) {
            int split = layout.splitOf(p++);
            counts.computeIfAbsent(cp, k -> new long[4])[split < 0 ? 3 : split]++;
        }
        return this;
    }

    CharTally merge(CharTally other) {
        other.counts.forEach((cp, c) -> {
            long[] mine = counts.computeIfAbsent(cp, k -> new long[4]);
            for (int s = 0; s < 4; s++) mine[s] += c[s];
        });
        return this;
    }

    /** The characters that occur in the training split, sorted. */
    int[] trainingCharacters() {
        return counts.entrySet().stream().filter(e -> e.getValue()[0] > 0).mapToInt(Map.Entry::getKey)
                .sorted().toArray();
    }

    /** Occurrences in {@code split} of characters the training split lacks. */
    long unseenIn(int split) {
        return counts.values().stream().filter(c -> c[0] == 0).mapToLong(c -> c[split]).sum();
    }

    /** The characters of {@code split} that the training split lacks, sorted. */
    int[] unseenCharacters(int split) {
        return counts.entrySet().stream().filter(e -> e.getValue()[0] == 0 && e.getValue()[split] > 0)
                .mapToInt(Map.Entry::getKey).sorted().toArray();
    }
}
