package io.sparklstm.prep.io;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CsvFieldsTest {

    @Test
    void splitsPlainFieldsAndTrimsThem() {
        assertEquals(List.of("2016-07-01 00:00:00", "5.827", "", "-1"), CsvFields.split("2016-07-01 00:00:00, 5.827,,-1", ','));
    }

    @Test
    void quotedFieldsKeepDelimitersAndEscapedQuotes() {
        assertEquals(List.of("a,b", "say \"hi\"", "c"), CsvFields.split("\"a,b\",\"say \"\"hi\"\"\",c", ','));
    }

    @Test
    void stripLineEndRemovesCarriageReturns() {
        assertEquals("1 2 3", TextLines.stripLineEnd("1 2 3\r"));
    }
}
