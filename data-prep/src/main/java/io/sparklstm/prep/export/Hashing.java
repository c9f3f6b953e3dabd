package io.sparklstm.prep.export;

/** A seeded 64-bit mix (SplitMix64 finalizer) for deterministic shuffles and random splits. */
public final class Hashing {

    private Hashing() {
    }

    public static long mix(long seed, long a, long b) {
        long z = seed * 0x9E3779B97F4A7C15L + a;
        z = finalize64(z) + b * 0xC2B2AE3D27D4EB4FL;
        return finalize64(z);
    }

    /** A uniform number in [0, 1) from a seed and two keys. */
    public static double unit(long seed, long a, long b) {
        return (mix(seed, a, b) >>> 11) * 0x1.0p-53;
    }

    private static long finalize64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
