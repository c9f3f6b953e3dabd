package io.sparklstm.jobs.spark;

import com.esotericsoftware.kryo.Kryo;
import io.sparklstm.prep.job.SerializedTypes;
import org.nd4j.kryo.Nd4jRegistrator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J's registrator (INDArrays need it under Kryo), with ND4J arrays copied as memory ({@link ArraySerializer}),
 * plus a rule for this project's records: Kryo 4 cannot set the final fields of Java records, so records travel through their components and canonical
 * constructor ({@link RecordSerializer}); and the classes of {@code prepare}'s rows and examples, registered so
 * that Kryo writes a number for each object's class rather than its name ({@link SerializedTypes}).
 */
public class KryoRegistrator extends Nd4jRegistrator {

    @Override
    public void registerClasses(Kryo kryo) {
        super.registerClasses(kryo);
        // in place of nd4j-kryo's serializer, which super registered for the same class
        kryo.register(Nd4j.getBackend().getNDArrayClass(), new ArraySerializer());
        kryo.addDefaultSerializer(Record.class, new RecordSerializer());
        // after the record rule, so that registered records get the record serializer
        for (Class<?> type : SerializedTypes.all()) kryo.register(type);
    }
}
