package io.sparklstm.prep.timeseries;

import io.sparklstm.prep.config.InputConfig;
import io.sparklstm.prep.config.MissingConfig;
import io.sparklstm.prep.config.TimeSeriesConfig;
import io.sparklstm.prep.io.InputDataException;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RowParserTest {

    private static final List<String> HEADER = List.of("No", "year", "month", "day", "hour", "pm2.5", "TEMP", "cbwd");

    private static RowParser parser(MissingConfig missing, List<Double> sentinels) {
        TimeSeriesConfig ts = new TimeSeriesConfig("date", "yyyy-MM-dd HH:mm:ss", List.of("pm2.5", "TEMP"),
                List.of("pm2.5"), 4, 1, 1, TimeSeriesConfig.TargetOffset.NONE, "",
                List.of("year", "month", "day", "hour"), List.of("cbwd"), TimeSeriesConfig.UnseenCategory.ERROR, missing);
        InputConfig input = new InputConfig("x.csv", ",", true, "UTF-8", InputConfig.Format.CSV,
                InputConfig.DEFAULT_NA_TOKENS, sentinels, InputConfig.BadRecords.QUARANTINE);
        return new RowParser(Columns.resolve(ts, HEADER, "x.csv"), ts.timestampFormat(), true, input);
    }

    private static RawRecord record(long line, String text) {
        return new RawRecord(0, "x.csv", line, Arrays.asList(text.split(",", -1)), text);
    }

    @Test
    void readsTimestampSplitAcrossColumnsByPosition() {
        RowParser.Parsed p = parser(MissingConfig.failing(), List.of()).parse(record(2, "1,2010,1,2,23,129,-4,SE"));
        assertTrue(p.ok());
        assertEquals(LocalDateTime.of(2010, 1, 2, 23, 0).toEpochSecond(ZoneOffset.UTC), p.row().time());
        assertArrayEquals(new double[]{129, -4}, p.row().values());
        assertArrayEquals(new String[]{"SE"}, p.row().categories());
    }

    @Test
    void naTokensAndSentinelsAreMissingValues() {
        RowParser parser = parser(new MissingConfig(MissingConfig.Policy.DROP_WINDOWS, Map.of()), List.of(-9999.0));
        SeriesRow na = parser.parse(record(2, "1,2010,1,1,0,NA,-9999,")).row();
        assertTrue(Double.isNaN(na.values()[0]));
        assertTrue(Double.isNaN(na.values()[1]));
        assertNull(na.categories()[0], "an empty categorical field is missing");
    }

    @Test
    void aMissingValueUnderTheFailPolicyNamesLineAndColumn() {
        InputDataException e = assertThrows(InputDataException.class,
                () -> parser(MissingConfig.failing(), List.of()).parse(record(7, "1,2010,1,1,0,NA,3,cv")));
        assertTrue(e.getMessage().startsWith("x.csv:7: column pm2.5: missing value 'NA'"), e.getMessage());
    }

    @Test
    void malformedRecordsAreRejectedWithTheirReason() {
        RowParser parser = parser(MissingConfig.failing(), List.of());
        RowParser.Parsed fields = parser.parse(record(3, "1,2010,1,1,0,5"));
        assertFalse(fields.ok());
        assertEquals("expected 8 fields, found 6", fields.rejection().reason());
        assertEquals(3, fields.rejection().line());
        assertEquals("column TEMP: 'warm' is not a finite number",
                parser.parse(record(4, "1,2010,1,1,0,5,warm,cv")).rejection().reason());
        assertEquals("column year+month+day+hour: cannot parse timestamp '2010 13 1 0'",
                parser.parse(record(5, "1,2010,13,1,0,5,1,cv")).rejection().reason());
        assertTrue(parser.parse(record(6, "1,2010,1,1,0,5,1,cv")).rejection() == null);
        String json = fields.rejection().toJson();
        assertTrue(json.contains("\"file\":\"x.csv\"") && json.contains("\"line\":3"), json);
    }

    @Test
    void aConfiguredColumnMissingFromTheHeaderNamesKeyFileAndColumns() {
        TimeSeriesConfig ts = new TimeSeriesConfig("date", "yyyy-MM-dd HH:mm:ss", List.of("pm25"), List.of(), 4, 1, 1,
                TimeSeriesConfig.TargetOffset.NONE);
        InputDataException e = assertThrows(InputDataException.class, () -> Columns.resolve(ts, HEADER, "x.csv"));
        assertTrue(e.getMessage().contains("x.csv: no column 'date' (timeseries.timestampColumn); the columns are [No,"),
                e.getMessage());
    }
}
