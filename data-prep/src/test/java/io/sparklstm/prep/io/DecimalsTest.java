package io.sparklstm.prep.io;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DecimalsTest {

    /** Bit for bit Double.parseDouble's value, or the same exception. */
    private static void sameAsJdk(String text) {
        double expected;
        try {
            expected = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            assertThrows(NumberFormatException.class, () -> Decimals.parse(text), text);
            return;
        }
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(Decimals.parse(text)), text);
    }

    @Test
    void randomDecimalsReadExactlyAsTheJdkReadsThem() {
        Random random = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            int digits = 1 + random.nextInt(17);
            StringBuilder b = new StringBuilder();
            if (random.nextBoolean()) b.append('-');
            int point = random.nextInt(digits + 1);
            for (int d = 0; d < digits; d++) {
                if (d == point && d > 0) b.append('.');
                b.append((char) ('0' + random.nextInt(10)));
            }
            sameAsJdk(b.toString());
        }
    }

    @Test
    void edgeCasesFallBackToTheJdk() {
        for (String text : List.of("0", "-0", "-0.0", "0.000", "007", "123456789012345", "1234567890123456",
                "0.1", "0.3", "2.675", "9007199254740993", "999999999999999.9", "1e5", "1E-3", "+5", ".5", "5.",
                "-", "", "NaN", "Infinity", "-Infinity", "1.5d", "0x1p3", "1..2", "1.2.3", "--1", "12a", " 1")) {
            sameAsJdk(text);
        }
    }
}
