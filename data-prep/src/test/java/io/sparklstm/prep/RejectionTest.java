package io.sparklstm.prep;

import io.sparklstm.model.Json;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RejectionTest {

    @Test
    void aRejectionIsWrittenAsTheMapLineWasWithItsKeysInOrder() throws Exception {
        Rejection r = new Rejection("messy_TRAIN.ts", 8, "3 channel(s) where the header's @dimensions is 2",
                "1,2:3,4:\"5\",6:x\u00e9");
        // the line as written before the record was serialized itself: a map filled in this order
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", r.file());
        m.put("line", r.line());
        m.put("reason", r.reason());
        m.put("text", r.text());
        assertEquals(Json.compact().writeValueAsString(m), r.toJson());
        assertEquals("{\"file\":\"messy_TRAIN.ts\",\"line\":8,", r.toJson().substring(0, 34));
    }
}
