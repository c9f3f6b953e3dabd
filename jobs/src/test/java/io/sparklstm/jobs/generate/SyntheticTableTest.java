package io.sparklstm.jobs.generate;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticTableTest {

    private static String rows(SyntheticTable.Spec spec, long from, long to) throws IOException {
        StringWriter out = new StringWriter();
        SyntheticTable.writeRows(spec, new SyntheticTable.Part(0, from, to), out);
        return out.toString();
    }

    @Test
    void filesCutAnywhereGiveTheSameRowsAsOneFile() throws IOException {
        // 3 entities of 10,000 rows: cuts inside a noise block, at entity boundaries and across them
        SyntheticTable.Spec spec = new SyntheticTable.Spec(30_000, 3, 4, 7, 1, "2020-01-01T00:00", 60);
        String whole = rows(spec, 0, 30_000);
        StringBuilder pieces = new StringBuilder();
        for (SyntheticTable.Part part : SyntheticTable.parts(spec)) {
            pieces.append(rows(spec, part.firstRow(), part.endRow()));
        }
        assertEquals(whole, pieces.toString());
        List<String> lines = whole.lines().toList();
        assertEquals(30_000, lines.size());
        assertEquals("2020-01-01 00:00:00,e0", lines.get(0).substring(0, 22));
        assertEquals("2020-01-01 00:00:00,e1", lines.get(10_000).substring(0, 22), "each entity starts at --start");
        assertEquals("2020-01-02 01:00:00,e2", lines.get(20_025).substring(0, 22));
        for (String line : lines) assertEquals(2 + 4, line.split(",").length, line);
    }

    @Test
    void partsCoverEveryRowOnceAndHeaderNamesTheColumns() {
        SyntheticTable.Spec spec = new SyntheticTable.Spec(1_000_003, 1, 8, 16, 1, "2000-01-01T00:00", 60);
        List<SyntheticTable.Part> parts = SyntheticTable.parts(spec);
        assertEquals(16, parts.size());
        assertEquals(0, parts.get(0).firstRow());
        for (int i = 1; i < parts.size(); i++) assertEquals(parts.get(i - 1).endRow(), parts.get(i).firstRow());
        assertEquals(1_000_003, parts.get(15).endRow());
        assertEquals("date,x0,x1,x2,x3,x4,x5,x6,x7", spec.header());
        assertEquals("date,entity,x0", new SyntheticTable.Spec(10, 2, 1, 1, 1, "2000-01-01T00:00", 60).header());
    }

    @Test
    void valuesHaveTheDailyCycleAndAreNotConstant() throws IOException {
        SyntheticTable.Spec spec = new SyntheticTable.Spec(24 * 200, 1, 1, 1, 7, "2000-01-01T00:00", 60);
        double[] x = rows(spec, 0, spec.rows()).lines().mapToDouble(l -> Double.parseDouble(l.split(",")[1])).toArray();
        // correlation with the value a day earlier is high, with half a day earlier negative: a daily cycle
        assertTrue(lagCorrelation(x, 24) > 0.5, "lag 24: " + lagCorrelation(x, 24));
        assertTrue(lagCorrelation(x, 12) < 0, "lag 12: " + lagCorrelation(x, 12));
        assertTrue(Arrays.stream(x).distinct().count() > 1000);
    }

    @Test
    void fixedPointFormattingMatchesTheDecimalValue() {
        for (double v : new double[]{0, 1.5, -1.5, 12.0004, -0.0004, -0.05, 123456.789, 0.007}) {
            StringBuilder s = new StringBuilder();
            SyntheticTable.appendFixed3(s, v);
            assertEquals(Math.round(v * 1000) / 1000.0, Double.parseDouble(s.toString()), 1e-12, s.toString());
            assertEquals(3, s.length() - s.indexOf(".") - 1, s.toString());
        }
    }

    @Test
    void badSizesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SyntheticTable.Spec(5, 10, 8, 1, 1, "2000-01-01T00:00", 60));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticTable.Spec(0, 1, 8, 1, 1, "2000-01-01T00:00", 60));
    }

    private static double lagCorrelation(double[] x, int lag) {
        int n = x.length - lag;
        double ma = 0, mb = 0;
        for (int i = 0; i < n; i++) {
            ma += x[i];
            mb += x[i + lag];
        }
        ma /= n;
        mb /= n;
        double cov = 0, va = 0, vb = 0;
        for (int i = 0; i < n; i++) {
            cov += (x[i] - ma) * (x[i + lag] - mb);
            va += (x[i] - ma) * (x[i] - ma);
            vb += (x[i + lag] - mb) * (x[i + lag] - mb);
        }
        return cov / Math.sqrt(va * vb);
    }
}
