package io.sparklstm.jobs.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Records through Spark's own KryoSerializer, configured with this job's registrator. */
class RecordSerializerTest {

    record Row(String entity, long time, double[] values, String[] categories, int file, Inner inner) implements Serializable {
    }

    record Inner(String reason, float[] weights) implements Serializable {
    }

    record Mixed(List<String> fields, Map<String, Integer> counts, Inner missing, Kind kind) implements Serializable {
    }

    enum Kind { A, B }

    /** As an averaging round's start (train's RoundStart): arrays in a record. */
    record WithArrays(String key, org.nd4j.linalg.api.ndarray.INDArray parameters,
                      org.nd4j.linalg.api.ndarray.INDArray state) implements Serializable {
    }

    record Checked(int positive) implements Serializable {
        Checked {
            if (positive <= 0) throw new IllegalArgumentException("positive");
        }
    }

    private static final SerializerInstance KRYO = new KryoSerializer(new SparkConf()
            .set("spark.kryo.registrator", KryoRegistrator.class.getName())).newInstance();
    /** As the jobs configure it (SparkSessions): without reference tracking. */
    private static final SerializerInstance KRYO_NO_REFERENCES = new KryoSerializer(new SparkConf()
            .set("spark.kryo.registrator", KryoRegistrator.class.getName())
            .set("spark.kryo.referenceTracking", "false")).newInstance();

    /** Through both configurations; the second result is checked equal to the first's by the callers' asserts. */
    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) {
        ByteBuffer plain = KRYO_NO_REFERENCES.serialize(value, ClassTag$.MODULE$.apply(Object.class));
        T withoutReferences = (T) KRYO_NO_REFERENCES.deserialize(plain, ClassTag$.MODULE$.apply(Object.class));
        ByteBuffer bytes = KRYO.serialize(withoutReferences, ClassTag$.MODULE$.apply(Object.class));
        return (T) KRYO.deserialize(bytes, ClassTag$.MODULE$.apply(Object.class));
    }

    @Test
    void rowsKeepEveryComponent() {
        Row row = new Row("station-7", 1_700_000_000L, new double[]{1.5, Double.NaN, -2}, new String[]{"NE", null},
                3, new Inner("ok", new float[]{0.25f}));
        Row back = roundTrip(row);
        assertEquals("station-7", back.entity());
        assertEquals(1_700_000_000L, back.time());
        assertArrayEquals(row.values(), back.values());
        assertArrayEquals(row.categories(), back.categories());
        assertEquals(3, back.file());
        assertEquals("ok", back.inner().reason());
        assertArrayEquals(row.inner().weights(), back.inner().weights());
    }

    @Test
    void listsMapsNullsAndEnumsSurvive() {
        Map<String, Integer> counts = new TreeMap<>(Map.of("a", 1, "b", 2));
        Mixed back = roundTrip(new Mixed(List.of("x", "y"), counts, null, Kind.B));
        assertEquals(List.of("x", "y"), back.fields());
        assertEquals(counts, back.counts());
        assertNull(back.missing());
        assertEquals(Kind.B, back.kind());
    }

    @Test
    void isLessThanHalfTheSizeOfJavaSerialization() throws java.io.IOException {
        Row row = new Row("e", 1L, new double[8], new String[0], 0, null);
        int kryo = KRYO.serialize(row, ClassTag$.MODULE$.apply(Object.class)).remaining();
        java.io.ByteArrayOutputStream javaBytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(javaBytes)) {
            out.writeObject(row);
        }
        int java = javaBytes.size();
        assertTrue(kryo * 2 < java, "kryo " + kryo + " bytes, java " + java + " bytes");
        assertEquals(Arrays.toString(row.values()), Arrays.toString(roundTrip(row).values()));
    }

    /**
     * The arrays of a record go through the registered array serializer (their memory, copied in blocks), not Java
     * serialization, which writes them element by element: each averaging round broadcasts its parameters and
     * updater state in such a record (about 4x the broadcast time at 512 units, measured idle, when they did).
     */
    @Test
    void arraysInARecordTravelAsKryoNotJavaSerialization() {
        // values whose bytes cannot contain the header searched for below (0.5f is 0x3F000000, 1.0f 0x3F800000);
        // random values contain it by chance
        org.nd4j.linalg.api.ndarray.INDArray params = org.nd4j.linalg.factory.Nd4j.valueArrayOf(new long[] {1, 5000},
                0.5f);
        WithArrays record = new WithArrays("run/1", params, params.mul(2));
        ByteBuffer bytes = KRYO_NO_REFERENCES.serialize(record, ClassTag$.MODULE$.apply(Object.class));
        byte[] raw = new byte[bytes.remaining()];
        bytes.duplicate().get(raw);
        for (int i = 0; i + 1 < raw.length; i++) {
            // Java serialization's stream header, 0xACED
            assertTrue(!(raw[i] == (byte) 0xAC && raw[i + 1] == (byte) 0xED), "Java serialization at byte " + i);
        }
        WithArrays back = roundTrip(record);
        assertEquals(params, back.parameters());
        assertEquals(params.mul(2), back.state());
        assertEquals("run/1", back.key());
    }

    @Test
    void nullArraysStringsAndRecordsStayNull() {
        Row back = roundTrip(new Row(null, -5L, null, null, -1, new Inner(null, null)));
        assertNull(back.entity());
        assertEquals(-5L, back.time());
        assertNull(back.values());
        assertNull(back.categories());
        assertEquals(-1, back.file());
        assertNull(back.inner().reason());
        assertNull(back.inner().weights());
        assertArrayEquals(new double[0], roundTrip(new Row("", 0, new double[0], new String[0], 0, null)).values());
    }

    @Test
    void prepareRowsAndExamplesRoundTrip() {
        io.sparklstm.prep.export.Example e = new io.sparklstm.prep.export.Example(1, "e3", 42L, 2,
                new float[]{1f, -2.5f, Float.NaN, 4f}, new float[]{0.5f}, -1);
        io.sparklstm.prep.export.Example back = roundTrip(e);
        assertEquals(e.entity(), back.entity());
        assertEquals(e.position(), back.position());
        assertArrayEquals(e.features(), back.features());
        assertArrayEquals(e.target(), back.target());
        io.sparklstm.prep.timeseries.SeriesRow row = new io.sparklstm.prep.timeseries.SeriesRow("s", 3600L,
                new double[]{Double.NaN, 1e300}, new String[]{null, "NE"}, 2, 17L);
        io.sparklstm.prep.timeseries.SeriesRow rowBack = roundTrip(row);
        assertArrayEquals(row.values(), rowBack.values());
        assertArrayEquals(row.categories(), rowBack.categories());
        assertEquals(row.line(), rowBack.line());
    }

    @Test
    void theCanonicalConstructorRunsOnRead() {
        assertEquals(5, roundTrip(new Checked(5)).positive());
    }
}
