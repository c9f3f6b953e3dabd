package io.sparklstm.model.data;

import io.sparklstm.model.Json;
import io.sparklstm.model.Task;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** {@code manifest.json} files written by earlier versions still read, and what is written reads back the same. */
class DatasetManifestTest {

    /** JapaneseVowels prepared by commit 8572a0c, before the splits recorded sequence lengths. */
    private static final String BEFORE_LENGTHS = "japanese-vowels-manifest-8572a0c.json";

    private static DatasetManifest read(String resource) throws IOException {
        try (InputStream in = DatasetManifestTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, resource);
            return Json.mapper().readValue(in, DatasetManifest.class);
        }
    }

    @Test
    void aManifestWrittenBeforeSplitLengthsReadsWithZeroLengths() throws IOException {
        DatasetManifest m = read(BEFORE_LENGTHS);
        assertEquals("ts", m.kind());
        assertEquals(Task.CLASSIFICATION, m.task());
        assertEquals(29, m.windowSteps());
        assertEquals(12, m.normalizer().mean().length);
        SplitInfo test = m.split("test");
        assertEquals(370, test.examples());
        assertEquals(24, test.files().size());
        assertEquals("test/batch-000000.bin", test.files().get(0));
        // what the old manifest does not say reads as 0 ("not recorded"), never as a failure
        assertEquals(0, test.minSteps());
        assertEquals(0, test.maxSteps());
        assertEquals(0.0, test.meanSteps());
        assertEquals(0, test.maskedBatches());
        assertEquals(12, m.preparation().featureNames().size());
    }

    @Test
    void splitLengthsReadBackAsWritten() throws IOException {
        DatasetManifest old = read(BEFORE_LENGTHS);
        SplitInfo train = new SplitInfo(3, 1, 100, List.of("train/batch-000000.bin"), 3, "", "", 7, 29, 15.5, 1);
        DatasetManifest m = new DatasetManifest(DatasetManifest.FORMAT_VERSION, old.kind(), old.task(),
                old.featureNames(), old.targetNames(), old.classNames(), old.windowSteps(), old.horizonSteps(),
                old.minibatchSize(), old.normalizer(), old.categories(), Map.of("train", train), old.source(),
                old.counts(), old.settings());
        DatasetManifest back = Json.mapper().readValue(Json.mapper().writeValueAsString(m), DatasetManifest.class);
        assertEquals(train, back.split("train"));
    }
}
