package io.sparklstm.prep.timeseries;

import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TimestampsTest {

    private static final List<String> FIXED = List.of("yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm",
            "yyyy/MM/dd HH", "yyyy-MM-dd", "yyyyMMddHHmmss");

    /** The fixed-width reading equals the formatter's, value or exception, for text that is and is not valid. */
    private static void sameAsFormatter(Timestamps t, String text) {
        Long expected;
        try {
            expected = t.formatterParse(text.trim());
        } catch (java.time.DateTimeException e) {
            expected = null;
        }
        if (expected == null) {
            assertThrows(java.time.DateTimeException.class, () -> t.parse(text), text);
        } else {
            assertEquals(expected, t.parse(text), text);
        }
    }

    @Test
    void fixedWidthPatternsReadAsTheFormatterReadsThem() {
        Random random = new Random(11);
        for (String pattern : FIXED) {
            assertTrue(Timestamps.FixedWidth.of(pattern).isPresent(), pattern);
            Timestamps t = new Timestamps(pattern);
            DateTimeFormatter format = DateTimeFormatter.ofPattern(pattern);
            for (int i = 0; i < 4_000; i++) {
                LocalDateTime time = LocalDateTime.of(1 + random.nextInt(2100), 1 + random.nextInt(12),
                        1 + random.nextInt(28), random.nextInt(24), random.nextInt(60), random.nextInt(60));
                String text = format.format(time);
                sameAsFormatter(t, text);
                // one character changed: out-of-range fields (month 13, day 31 of April, hour 24), letters
                char[] c = text.toCharArray();
                c[random.nextInt(c.length)] = "0123456789x -:".charAt(random.nextInt(14));
                sameAsFormatter(t, new String(c));
            }
            for (String text : List.of("", " ", "2010-02-29 00:00:00", "2012-02-29 00:00:00", "2010-04-31 10:00:00",
                    "2010-02-30", "2010-13-01 00:00", "2010-01-01 24:00:00", "0000-01-01 00:00:00",
                    "2010-01-01 00:00:60", " 2010-01-02 03:04:05 ", "12010-01-01 00:00:00", "2010-1-1 0:00:00")) {
                sameAsFormatter(t, text);
            }
        }
    }

    @Test
    void aCommonTimestampIsReadWithoutTheFormatter() {
        Timestamps t = new Timestamps("yyyy-MM-dd HH:mm:ss");
        assertEquals(LocalDateTime.of(2016, 7, 1, 2, 3, 4).toEpochSecond(ZoneOffset.UTC),
                Timestamps.FixedWidth.of("yyyy-MM-dd HH:mm:ss").orElseThrow().epochSeconds("2016-07-01 02:03:04"));
        assertEquals(LocalDateTime.of(2016, 7, 1, 2, 3, 4).toEpochSecond(ZoneOffset.UTC), t.parse(" 2016-07-01 02:03:04"));
    }

    @Test
    void otherPatternsUseTheFormatterOnly() {
        for (String pattern : List.of("dd.MM.yyyy", "yyyy-MM-dd HH:mm:ss.SSS", "yyyy-M-d", "yy-MM-dd", "yyyy-MM",
                "yyyy-MM-dd[ HH:mm]", "yyyy-MM-dd hh:mm a", "MM/dd/yyyy")) {
            assertTrue(Timestamps.FixedWidth.of(pattern).isEmpty(), pattern);
        }
        Timestamps t = new Timestamps("dd.MM.yyyy");
        assertEquals(LocalDateTime.of(2010, 3, 2, 0, 0).toEpochSecond(ZoneOffset.UTC), t.parse("02.03.2010"));
    }
}
