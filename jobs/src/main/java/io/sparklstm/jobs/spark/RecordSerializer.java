package io.sparklstm.jobs.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Kryo serialization of Java records through their components and canonical constructor. Kryo 4 (Spark's)
 * cannot set a record's final fields; Java serialization of every record, which this job used before, writes
 * a class description per object and made caching and shuffling the rows of a table the slowest part of
 * {@code prepare}. Components are written by their declared type where it says enough: primitives, strings,
 * primitive and string arrays directly, a record component by this serializer again (records are final, so no
 * class needs writing); other values that are plain values, ND4J arrays, arrays, records or lists go through Kryo with
 * their class; anything else (rare: configuration objects) through Java serialization, as before.
 */
final class RecordSerializer extends Serializer<Record> {

    private static final byte NULL = 0;
    private static final byte KRYO = 1;
    private static final byte LIST = 2;
    private static final byte JAVA = 3;

    /** A record type's accessors, canonical constructor and each component's codec, looked up once. */
    private record Shape(Method[] accessors, Constructor<?> constructor, Codec[] codecs) {
    }

    /** How one component is written and read, chosen by its declared type. */
    private record Codec(Writer writer, Reader reader) {
    }

    private static final Codec LONG = new Codec((k, o, v) -> o.writeLong((Long) v), (k, i) -> i.readLong());
    private static final Codec INT = new Codec((k, o, v) -> o.writeVarInt((Integer) v, false), (k, i) -> i.readVarInt(false));
    private static final Codec DOUBLE = new Codec((k, o, v) -> o.writeDouble((Double) v), (k, i) -> i.readDouble());
    private static final Codec FLOAT = new Codec((k, o, v) -> o.writeFloat((Float) v), (k, i) -> i.readFloat());
    private static final Codec BOOLEAN = new Codec((k, o, v) -> o.writeBoolean((Boolean) v), (k, i) -> i.readBoolean());
    private static final Codec STRING = new Codec((k, o, v) -> o.writeString((String) v), (k, i) -> i.readString());
    private static final Codec DOUBLES = array(double[].class, a -> a.length, Output::writeDoubles, Input::readDoubles);
    private static final Codec FLOATS = array(float[].class, a -> a.length, Output::writeFloats, Input::readFloats);
    private static final Codec INTS = array(int[].class, a -> a.length, Output::writeInts, Input::readInts);
    private static final Codec LONGS = array(long[].class, a -> a.length, Output::writeLongs, Input::readLongs);
    private static final Codec STRINGS = array(String[].class, a -> a.length, (o, a) -> {
        for (String e : a) o.writeString(e);
    }, (i, n) -> {
        String[] a = new String[n];
        for (int e = 0; e < n; e++) a[e] = i.readString();
        return a;
    });
    private static final Codec ANY = new Codec(RecordSerializer::writeValue, RecordSerializer::readValue);

    private interface Writer {
        void write(Kryo kryo, Output output, Object value);
    }

    private interface Reader {
        Object read(Kryo kryo, Input input);
    }

    /** An array: its length + 1, or 0 for null, then its elements. */
    private static <A> Codec array(Class<A> type, java.util.function.ToIntFunction<A> length,
                                   java.util.function.BiConsumer<Output, A> elements,
                                   java.util.function.BiFunction<Input, Integer, A> read) {
        return new Codec((k, o, v) -> {
            A a = type.cast(v);
            o.writeVarInt(a == null ? 0 : length.applyAsInt(a) + 1, true);
            if (a != null) elements.accept(o, a);
        }, (k, i) -> {
            int n = i.readVarInt(true);
            return n == 0 ? null : read.apply(i, n - 1);
        });
    }

    /** A record component of a record type: a null flag, then its components, without its class. */
    private static Codec nested(Class<?> type) {
        return new Codec((k, o, v) -> {
            o.writeBoolean(v != null);
            if (v != null) writeComponents(k, o, (Record) v);
        }, (k, i) -> i.readBoolean() ? readComponents(k, i, type) : null);
    }

    private static Codec codecFor(Class<?> type) {
        if (type == long.class) return LONG;
        if (type == int.class) return INT;
        if (type == double.class) return DOUBLE;
        if (type == float.class) return FLOAT;
        if (type == boolean.class) return BOOLEAN;
        if (type == String.class) return STRING;
        if (type == double[].class) return DOUBLES;
        if (type == float[].class) return FLOATS;
        if (type == int[].class) return INTS;
        if (type == long[].class) return LONGS;
        if (type == String[].class) return STRINGS;
        if (type.isRecord()) return nested(type);
        return ANY;
    }

    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            Method[] accessors = new Method[components.length];
            Class<?>[] types = new Class<?>[components.length];
            Codec[] codecs = new Codec[components.length];
            for (int i = 0; i < components.length; i++) {
                accessors[i] = components[i].getAccessor();
                accessors[i].setAccessible(true);
                types[i] = components[i].getType();
                codecs[i] = codecFor(types[i]);
            }
            try {
                Constructor<?> constructor = type.getDeclaredConstructor(types);
                constructor.setAccessible(true);
                return new Shape(accessors, constructor, codecs);
            } catch (NoSuchMethodException e) {
                throw new KryoException("record " + type.getName() + " has no canonical constructor", e);
            }
        }
    };

    @Override
    public void write(Kryo kryo, Output output, Record record) {
        writeComponents(kryo, output, record);
    }

    @Override
    public Record read(Kryo kryo, Input input, Class<Record> type) {
        return readComponents(kryo, input, type);
    }

    private static void writeComponents(Kryo kryo, Output output, Record record) {
        Shape shape = SHAPES.get(record.getClass());
        try {
            for (int c = 0; c < shape.codecs().length; c++) {
                shape.codecs()[c].writer().write(kryo, output, shape.accessors()[c].invoke(record));
            }
        } catch (ReflectiveOperationException e) {
            throw new KryoException("cannot read the components of " + record.getClass().getName(), e);
        }
    }

    private static Record readComponents(Kryo kryo, Input input, Class<?> type) {
        Shape shape = SHAPES.get(type);
        Object[] values = new Object[shape.codecs().length];
        for (int c = 0; c < values.length; c++) values[c] = shape.codecs()[c].reader().read(kryo, input);
        try {
            return (Record) shape.constructor().newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new KryoException("cannot rebuild a " + type.getName(), e);
        }
    }

    private static void writeValue(Kryo kryo, Output output, Object value) {
        if (value == null) {
            output.writeByte(NULL);
        } else if (isKryoValue(value)) {
            output.writeByte(KRYO);
            kryo.writeClassAndObject(output, value);
        } else if (value instanceof List<?> list) {
            output.writeByte(LIST);
            output.writeInt(list.size(), true);
            for (Object element : list) writeValue(kryo, output, element);
        } else {
            output.writeByte(JAVA);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(value);
            } catch (IOException e) {
                throw new KryoException("cannot serialize a " + value.getClass().getName(), e);
            }
            output.writeInt(bytes.size(), true);
            output.writeBytes(bytes.toByteArray());
        }
    }

    private static Object readValue(Kryo kryo, Input input) {
        byte tag = input.readByte();
        switch (tag) {
            case NULL: // a null element written by Kryo's caller: what was serialized is given back
                return null;
            case KRYO:
                return kryo.readClassAndObject(input);
            case LIST: {
                int size = input.readInt(true);
                List<Object> list = new ArrayList<>(size);
                for (int i = 0; i < size; i++) list.add(readValue(kryo, input));
                return Collections.unmodifiableList(list);
            }
            case JAVA: {
                byte[] bytes = input.readBytes(input.readInt(true));
                try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
                    return in.readObject();
                } catch (IOException | ClassNotFoundException e) {
                    throw new KryoException("cannot deserialize a record component", e);
                }
            }
            default:
                throw new KryoException("unknown record component tag " + tag);
        }
    }

    /** Values Kryo 4 reads back faithfully with its default serializers. */
    private static boolean isKryoValue(Object value) {
        Class<?> type = value.getClass();
        // ND4J arrays: the registrator's array serializer (their memory in blocks); through Java serialization they
        // went element by element, 4x the broadcast of an averaging round's parameters in a record (RoundStart)
        if (value instanceof Record || value instanceof String || value instanceof Number
                || value instanceof Boolean || value instanceof Character || type.isEnum()
                || value instanceof INDArray) {
            return true;
        }
        if (type.isArray()) {
            Class<?> component = type.getComponentType();
            return component.isPrimitive() || component == String.class;
        }
        return false;
    }
}
