package io.sparklstm.jobs.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

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
 * {@code prepare}. Components that are plain values, arrays, records or lists go through Kryo; anything else
 * (rare: configuration objects) through Java serialization, as before.
 */
final class RecordSerializer extends Serializer<Record> {

    private static final byte NULL = 0;
    private static final byte KRYO = 1;
    private static final byte LIST = 2;
    private static final byte JAVA = 3;

    /** A record type's accessors and canonical constructor, looked up once. */
    private record Shape(Method[] accessors, Constructor<?> constructor) {
    }

    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            Method[] accessors = new Method[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                accessors[i] = components[i].getAccessor();
                accessors[i].setAccessible(true);
                types[i] = components[i].getType();
            }
            try {
                Constructor<?> constructor = type.getDeclaredConstructor(types);
                constructor.setAccessible(true);
                return new Shape(accessors, constructor);
            } catch (NoSuchMethodException e) {
                throw new KryoException("record " + type.getName() + " has no canonical constructor", e);
            }
        }
    };

    @Override
    public void write(Kryo kryo, Output output, Record record) {
        Shape shape = SHAPES.get(record.getClass());
        try {
            for (Method accessor : shape.accessors()) {
                writeValue(kryo, output, accessor.invoke(record));
            }
        } catch (ReflectiveOperationException e) {
            throw new KryoException("cannot read the components of " + record.getClass().getName(), e);
        }
    }

    @Override
    public Record read(Kryo kryo, Input input, Class<Record> type) {
        Shape shape = SHAPES.get(type);
        Object[] values = new Object[shape.accessors().length];
        for (int i = 0; i < values.length; i++) values[i] = readValue(kryo, input);
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
            case NULL:
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
        if (value instanceof Record || value instanceof String || value instanceof Number
                || value instanceof Boolean || value instanceof Character || type.isEnum()) {
            return true;
        }
        if (type.isArray()) {
            Class<?> component = type.getComponentType();
            return component.isPrimitive() || component == String.class;
        }
        return false;
    }
}
