package io.sparklstm.ml;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;

/**
 * Spark's in-memory streaming source ({@code MemoryStream}) of rows, for tests on both Spark lines: Spark 3.5 keeps
 * it in {@code org.apache.spark.sql.execution.streaming}, Spark 4.1 in {@code ...streaming.runtime}, with the same
 * companion {@code apply(Encoder, SQLContext)}, {@code addData} and {@code toDF}; found by name, called by
 * reflection, so that one test source compiles against either.
 */
final class MemoryRows {

    private static final List<String> PLACES = List.of(
            "org.apache.spark.sql.execution.streaming.runtime.MemoryStream",
            "org.apache.spark.sql.execution.streaming.MemoryStream");

    private final Object stream;

    MemoryRows(SparkSession spark, StructType schema) {
        try {
            Class<?> companion = companion();
            Method apply = companion.getMethod("apply", Encoder.class, SQLContext.class);
            stream = apply.invoke(companion.getField("MODULE$").get(null), Encoders.row(schema), spark.sqlContext());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create Spark's MemoryStream: " + e, e);
        }
    }

    private static Class<?> companion() throws ClassNotFoundException {
        for (String place : PLACES) {
            try {
                return Class.forName(place + "$");
            } catch (ClassNotFoundException e) {
                // the other Spark line's package
            }
        }
        throw new ClassNotFoundException("MemoryStream in none of " + PLACES);
    }

    /** The rows as the next micro-batch's data. */
    void add(List<Row> rows) {
        scala.collection.Seq<Row> seq = scala.collection.JavaConverters.asScalaBuffer(rows).toSeq();
        for (Method m : stream.getClass().getMethods()) {
            if (m.getName().equals("addData") && m.getParameterCount() == 1 && m.getParameterTypes()[0].isInstance(seq)) {
                invoke(m, seq);
                return;
            }
        }
        throw new IllegalStateException("no addData of " + stream.getClass() + " takes a " + seq.getClass());
    }

    /** The stream as a streaming DataFrame. */
    @SuppressWarnings("unchecked")
    Dataset<Row> toDF() {
        try {
            return (Dataset<Row>) invoke(stream.getClass().getMethod("toDF"));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object invoke(Method m, Object... args) {
        try {
            return m.invoke(stream, args);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }
}
