package io.sparklstm.prep.io;

/**
 * {@link Double#parseDouble} with a fast path for the plain decimals that fill most tables ({@code -12.375},
 * {@code 40}): an optional minus sign, digits, and optionally a point followed by digits, at most 15 digits in
 * all. Such a number is an integer below 2^53 divided by a power of ten up to 10^22, both exact doubles, so one
 * IEEE division rounds it correctly: the result is bit for bit {@code Double.parseDouble}'s. Anything else
 * (exponents, a leading plus or point, more digits, text) goes to {@code Double.parseDouble}, errors included.
 */
public final class Decimals {

    private static final int MAX_DIGITS = 15;
    private static final double[] POWERS_OF_TEN = new double[MAX_DIGITS + 1];

    static {
        double p = 1;
        for (int i = 0; i <= MAX_DIGITS; i++) {
            POWERS_OF_TEN[i] = p;
            p *= 10;
        }
    }

    private Decimals() {
    }

    /** The number written in {@code text}, as {@link Double#parseDouble} reads it. */
    public static double parse(String text) {
        int n = text.length();
        int i = 0;
        boolean negative = n > 0 && text.charAt(0) == '-';
        if (negative) i++;
        long mantissa = 0;
        int digits = 0;
        int fractionDigits = -1;
        boolean integerDigit = false;
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++digits > MAX_DIGITS) return Double.parseDouble(text);
                mantissa = mantissa * 10 + (c - '0');
                if (fractionDigits >= 0) fractionDigits++;
                else integerDigit = true;
            } else if (c == '.' && fractionDigits < 0 && integerDigit) {
                fractionDigits = 0;
            } else {
                return Double.parseDouble(text);
            }
        }
        if (!integerDigit || fractionDigits == 0) return Double.parseDouble(text);
        double v = fractionDigits > 0 ? mantissa / POWERS_OF_TEN[fractionDigits] : mantissa;
        return negative ? -v : v;
    }
}
