package io.sparklstm.prep.uea;

import io.sparklstm.prep.config.InvalidSettingsException;
import io.sparklstm.prep.config.SplitConfig;
import io.sparklstm.prep.io.InputDataException;
import io.sparklstm.prep.io.TextLine;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The .ts header and case lines, parsed without Spark. */
class TsFormatTest {

    private static final String HEADER = String.join("\n",
            "# a comment",
            "#",
            "@problemName Tiny",
            "@timeStamps false",
            "@missing false",
            "@univariate false",
            "@dimensions 2",
            "@equalLength false",
            "@classLabel true a b c",
            "",
            "@data",
            "1,2,3:4,5,6:b",
            "this line is data and must not be read by the header parser");

    static TsHeader header(String text) throws IOException {
        return TsHeader.parse("tiny.ts", new BufferedReader(new StringReader(text)));
    }

    static TextLine line(long number, String text) {
        return new TextLine(3, "tiny.ts", number, text);
    }

    @Test
    void theHeaderGivesChannelsClassesInListedOrderAndTheDataLine() throws IOException {
        TsHeader h = header(HEADER);
        assertEquals("Tiny", h.problemName());
        assertEquals(2, h.dimensions());
        assertEquals(List.of("a", "b", "c"), h.classNames());
        assertEquals(11, h.dataLine());
        assertEquals(false, h.missing());
    }

    @Test
    void aByteOrderMarkBeforeTheFirstLineIsNotData() throws IOException {
        assertEquals(List.of("a", "b", "c"), header("\uFEFF" + HEADER).classNames());
    }

    @Test
    void aGoodLineBecomesChannelMajorValuesWithItsOwnLengthAndLabel() throws IOException {
        TsHeader h = header(HEADER);
        TsCase c = TsCase.parse(line(12, "1.5,2,-3e-1:4,5,6:c "), h);
        assertEquals(3, c.steps());
        assertEquals(2, c.label());
        assertEquals(3, c.fileIndex());
        assertEquals(12, c.line());
        assertEquals(-1, c.split());
        assertArrayEquals(new double[]{1.5, 2, -0.3, 4, 5, 6}, c.values(), 0.0);

        TsCase shorter = TsCase.parse(line(13, "7:8:a"), h);
        assertEquals(1, shorter.steps());
        assertEquals(0, shorter.label());
        assertArrayEquals(new double[]{7, 8}, shorter.values(), 0.0);
    }

    @Test
    void aLabelNotInTheHeadersListNamesFileLineAndText() throws IOException {
        InputDataException e = assertThrows(InputDataException.class,
                () -> TsCase.parse(line(14, "1,2:3,4:d"), header(HEADER)));
        assertTrue(e.getMessage().startsWith("tiny.ts:14: label 'd' is not one of the classes [a, b, c]"), e.getMessage());
        assertTrue(e.getMessage().endsWith("in: 1,2:3,4:d"), e.getMessage());
    }

    @Test
    void theWrongNumberOfChannelsIsRefused() throws IOException {
        InputDataException e = assertThrows(InputDataException.class,
                () -> TsCase.parse(line(15, "1,2:3,4:5,6:a"), header(HEADER)));
        assertTrue(e.getMessage().startsWith("tiny.ts:15: 3 channel(s) where the header's @dimensions is 2"),
                e.getMessage());
    }

    @Test
    void channelsOfDifferentLengthsAreRefusedEitherWay() throws IOException {
        TsHeader h = header(HEADER);
        InputDataException longer = assertThrows(InputDataException.class,
                () -> TsCase.parse(line(16, "1,2:3,4,5:a"), h));
        assertTrue(longer.getMessage().startsWith("tiny.ts:16: channel 2 has 3 values where channel 1 has 2"),
                longer.getMessage());
        InputDataException shorter = assertThrows(InputDataException.class,
                () -> TsCase.parse(line(17, "1,2,3:4:a"), h));
        assertTrue(shorter.getMessage().startsWith("tiny.ts:17: channel 2 has 1 values where channel 1 has 3"),
                shorter.getMessage());
    }

    @Test
    void missingAndNonFiniteValuesNameTheirPlace() throws IOException {
        TsHeader h = header(HEADER);
        InputDataException missing = assertThrows(InputDataException.class,
                () -> TsCase.parse(line(18, "1,?:3,4:a"), h));
        assertTrue(missing.getMessage().startsWith("tiny.ts:18: channel 1, step 2: '?' is a missing value but the"
                + " header says @missing false"), missing.getMessage());
        InputDataException nan = assertThrows(InputDataException.class,
                () -> TsCase.parse(line(19, "1,2:NaN,4:a"), h));
        assertTrue(nan.getMessage().startsWith("tiny.ts:19: channel 2, step 1: 'NaN' is not a finite number"),
                nan.getMessage());
        InputDataException empty = assertThrows(InputDataException.class,
                () -> TsCase.parse(line(20, "1,2:3,:a"), h));
        assertTrue(empty.getMessage().startsWith("tiny.ts:20: channel 2, step 2: '' is not a finite number"),
                empty.getMessage());
        InputDataException declared = assertThrows(InputDataException.class,
                () -> TsCase.parse(line(21, "1,?:3,4:a"), header(HEADER.replace("@missing false", "@missing true"))));
        assertTrue(declared.getMessage().contains("does not fill in missing values"), declared.getMessage());
    }

    @Test
    void aLineWithoutALabelIsRefused() throws IOException {
        InputDataException e = assertThrows(InputDataException.class,
                () -> TsCase.parse(line(22, "1,2,3"), header(HEADER)));
        assertTrue(e.getMessage().startsWith("tiny.ts:22: no ':' before the class label"), e.getMessage());
    }

    @Test
    void aFileWithoutDataOrWithoutClassLabelsNamesTheFile() {
        InputDataException noData = assertThrows(InputDataException.class,
                () -> header(HEADER.substring(0, HEADER.indexOf("@data"))));
        assertTrue(noData.getMessage().startsWith("tiny.ts: no @data line"), noData.getMessage());
        InputDataException noLabels = assertThrows(InputDataException.class,
                () -> header(HEADER.replace("@classLabel true a b c", "")));
        assertTrue(noLabels.getMessage().startsWith("tiny.ts: the header has no '@classLabel true <classes>' line"),
                noLabels.getMessage());
        InputDataException unlabelled = assertThrows(InputDataException.class,
                () -> header(HEADER.replace("@classLabel true a b c", "@classLabel false")));
        assertTrue(unlabelled.getMessage().startsWith("tiny.ts:9: expected '@classLabel true <classes>'"),
                unlabelled.getMessage());
    }

    @Test
    void headerValuesAreChecked() {
        InputDataException dims = assertThrows(InputDataException.class,
                () -> header(HEADER.replace("@dimensions 2", "@dimensions two")));
        assertTrue(dims.getMessage().startsWith("tiny.ts:7: expected @dimensions <positive integer>"), dims.getMessage());
        InputDataException stamps = assertThrows(InputDataException.class,
                () -> header(HEADER.replace("@timeStamps false", "@timeStamps true")));
        assertTrue(stamps.getMessage().startsWith("tiny.ts:4: @timeStamps true is not supported"), stamps.getMessage());
        InputDataException before = assertThrows(InputDataException.class,
                () -> header("@dimensions 2\n1,2:3,4:a\n@classLabel true a b\n@data\n"));
        assertTrue(before.getMessage().startsWith("tiny.ts:2: a data line before @data"), before.getMessage());
    }

    @Test
    void aSeparateTestFileIsAllTestAndTheRestFollowsTheTrainValidationProportion() {
        TsSplit withTest = new TsSplit(5L, random(List.of(0.6, 0.2, 0.2), 0, 0), 1, true);
        int train = 0;
        for (int n = 1; n <= 4000; n++) {
            int s = withTest.of(0, n);
            assertTrue(s == 0 || s == 1, "split " + s);
            if (s == 0) train++;
            assertEquals(2, withTest.of(1, n));
        }
        assertEquals(0.75, train / 4000.0, 0.03);

        TsSplit without = new TsSplit(5L, random(List.of(0.5, 0.2, 0.1), 0, 0), 1, false);
        int[] seen = new int[4];
        for (int n = 1; n <= 4000; n++) seen[without.of(0, n) + 1]++;
        assertEquals(0.2, seen[0] / 4000.0, 0.03); // unassigned
        assertEquals(0.5, seen[1] / 4000.0, 0.03);
        assertEquals(0.2, seen[2] / 4000.0, 0.03);
        assertEquals(0.1, seen[3] / 4000.0, 0.03);
    }

    @Test
    void foldsCutTheNonTestCasesIntoEqualPartsAndLeaveTestAndUnassignedAsTheyWere() {
        int folds = 5;
        for (boolean separateTest : new boolean[]{true, false}) {
            List<Double> fractions = List.of(0.5, 0.2, 0.1);
            TsSplit plain = new TsSplit(7L, random(fractions, 0, 0), 1, separateTest);
            TsSplit[] byFold = new TsSplit[folds];
            for (int k = 0; k < folds; k++) byFold[k] = new TsSplit(7L, random(fractions, folds, k), 1, separateTest);
            int[] validation = new int[folds];
            int pool = 0;
            for (int n = 1; n <= 5000; n++) {
                int without = plain.of(0, n);
                int validatedBy = -1;
                for (int k = 0; k < folds; k++) {
                    int s = byFold[k].of(0, n);
                    if (without == 2 || without == -1) {
                        assertEquals(without, s, "case " + n + ": test and unassigned stay as without folds");
                    } else if (s == 1) {
                        assertEquals(-1, validatedBy, "case " + n + " validates in two folds");
                        validatedBy = k;
                        validation[k]++;
                    } else {
                        assertEquals(0, s, "case " + n);
                    }
                }
                if (without == 0 || without == 1) {
                    pool++;
                    assertTrue(validatedBy >= 0, "case " + n + " validates in no fold");
                }
            }
            for (int k = 0; k < folds; k++) assertEquals(1.0 / folds, validation[k] / (double) pool, 0.03);
            assertEquals(separateTest ? 5000 : 0.7 * 5000, pool, separateTest ? 0 : 150);
        }
    }

    @Test
    void foldsNeedARandomOrTimeSplitWithRoomForThemAndAFoldInRange() {
        assertThrows(InvalidSettingsException.class, () -> random(List.of(0.8, 0.2, 0.0), 1, 0));
        assertThrows(InvalidSettingsException.class, () -> random(List.of(0.8, 0.2, 0.0), 5, 5));
        assertThrows(InvalidSettingsException.class, () -> random(List.of(0.8, 0.2, 0.0), 0, 1));
        InvalidSettingsException time = assertThrows(InvalidSettingsException.class, () -> new SplitConfig(
                SplitConfig.Method.TIME, List.of(0.8, 0.2, 0.0), "", "", "", SplitConfig.DuplicatesAcrossSplits.AUTO,
                5, 0));
        assertTrue(time.getMessage().startsWith("split.folds = 5 is invalid: expected at most 4: the earliest"),
                time.getMessage());
        assertEquals(4, new SplitConfig(SplitConfig.Method.TIME, List.of(0.8, 0.2, 0.0), "", "", "",
                SplitConfig.DuplicatesAcrossSplits.AUTO, 4, 0).folds());
        InvalidSettingsException noValidation = assertThrows(InvalidSettingsException.class, () -> new SplitConfig(
                SplitConfig.Method.TIME, List.of(0.8, 0.0, 0.2), "", "", "", SplitConfig.DuplicatesAcrossSplits.AUTO,
                3, 0));
        assertTrue(noValidation.getMessage().contains("0 when the validation fraction is 0"), noValidation.getMessage());
        InvalidSettingsException entity = assertThrows(InvalidSettingsException.class, () -> new SplitConfig(
                SplitConfig.Method.ENTITY, List.of(0.6, 0.2, 0.2), "", "", "", SplitConfig.DuplicatesAcrossSplits.AUTO,
                3, 0));
        assertTrue(entity.getMessage().startsWith("split.folds = 3 is invalid: expected 0 when split.method = entity"),
                entity.getMessage());
    }

    private static SplitConfig random(List<Double> fractions, int folds, int fold) {
        return new SplitConfig(SplitConfig.Method.RANDOM, fractions, "", "", "",
                SplitConfig.DuplicatesAcrossSplits.AUTO, folds, fold);
    }
}
