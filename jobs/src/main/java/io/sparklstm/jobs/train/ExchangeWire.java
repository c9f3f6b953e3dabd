package io.sparklstm.jobs.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/**
 * The messages between the workers of a job of averaging rounds and the driver's {@link RoundExchange}, both ends.
 *
 * <p>A worker opens one connection for the job and says who it is: the exchange's token, the job, its stage
 * attempt and its worker index. Then, once per round, it sends what it fitted (its {@link Report}) and reads the
 * round's outcome: {@link #AVERAGED} with the counters and the average to continue from, {@link #UNCHANGED} with
 * the counters where no worker had anything to fit, or {@link #ABORT} where the attempt failed or was superseded.
 * Arrays travel as the network's own type (float or double), big-endian, so the driver sums exactly the values
 * the workers hold.
 */
final class ExchangeWire {

    static final int TOKEN_BYTES = 32;
    static final byte AVERAGED = 0;
    static final byte UNCHANGED = 1;
    static final byte ABORT = 2;
    private static final byte FLOAT = 1;
    private static final byte DOUBLE = 2;

    private ExchangeWire() {
    }

    /** A flat copy of an array of the network's type: floats or doubles, never both. */
    record Flat(float[] floats, double[] doubles) {

        static Flat of(INDArray array) {
            if (array.dataType() == DataType.FLOAT) return new Flat(array.toFloatVector(), null);
            if (array.dataType() == DataType.DOUBLE) return new Flat(null, array.toDoubleVector());
            throw new IllegalArgumentException("rounds in one job exchange FLOAT or DOUBLE networks, not "
                    + array.dataType());
        }

        int length() {
            return floats != null ? floats.length : doubles.length;
        }

        /** This array in the shape of {@code like} (a network's parameters or updater state). */
        INDArray toArray(INDArray like) {
            if (length() != like.length()) {
                throw new IllegalStateException("an exchanged array of " + length() + " values for one of "
                        + like.length());
            }
            return floats != null ? Nd4j.create(floats, like.shape(), 'c') : Nd4j.create(doubles, like.shape(), 'c');
        }

        /** The element-wise mean of {@code flats}, summed in their order and divided in the arrays' own type. */
        static Flat mean(java.util.List<Flat> flats) {
            Flat first = flats.get(0);
            int n = flats.size();
            if (first.floats != null) {
                float[] sum = first.floats.clone();
                for (int k = 1; k < n; k++) {
                    float[] add = flats.get(k).floats;
                    if (add == null || add.length != sum.length) throw new IllegalStateException("workers disagree");
                    for (int i = 0; i < sum.length; i++) sum[i] += add[i];
                }
                for (int i = 0; i < sum.length; i++) sum[i] /= n;
                return new Flat(sum, null);
            }
            double[] sum = first.doubles.clone();
            for (int k = 1; k < n; k++) {
                double[] add = flats.get(k).doubles;
                if (add == null || add.length != sum.length) throw new IllegalStateException("workers disagree");
                for (int i = 0; i < sum.length; i++) sum[i] += add[i];
            }
            for (int i = 0; i < sum.length; i++) sum[i] /= n;
            return new Flat(null, sum);
        }
    }

    /**
     * One worker's part of a round: the examples it fitted (none: nothing else is sent), the network's score
     * after its last minibatch, its times, and copies of its parameters and updater state (absent without one).
     */
    record Report(int round, int examples, double score, WorkerTime time, Flat parameters, Flat updaterState) {
    }

    static void writeHello(DataOutputStream out, byte[] token, long job, int attempt, int worker) throws IOException {
        out.write(token);
        out.writeLong(job);
        out.writeInt(attempt);
        out.writeInt(worker);
        out.flush();
    }

    static void writeReport(DataOutputStream out, Report r) throws IOException {
        out.writeInt(r.round());
        out.writeInt(r.examples());
        out.writeDouble(r.score());
        out.writeDouble(r.time().initMs());
        out.writeDouble(r.time().fitMs());
        out.writeDouble(r.time().busyMs());
        out.writeBoolean(r.time().built());
        if (r.examples() > 0) writeArrays(out, r.parameters(), r.updaterState());
        out.flush();
    }

    /** What a worker sends in place of a report when it fails: its exception, Java-serialized. */
    static void writeFailure(DataOutputStream out, Throwable failure) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream o = new java.io.ObjectOutputStream(bytes)) {
            o.writeObject(failure);
        } catch (IOException e) { // something in it does not serialize: its text then
            bytes.reset();
            try (java.io.ObjectOutputStream o = new java.io.ObjectOutputStream(bytes)) {
                o.writeObject(new RuntimeException(failure.toString()));
            }
        }
        out.writeInt(FAILED);
        out.writeInt(bytes.size());
        bytes.writeTo(out);
        out.flush();
    }

    /** A report's first value when a worker failed instead ({@link #writeFailure}). */
    static final int FAILED = -1;

    /** A worker's failure, or a report. */
    static Object readReportOrFailure(Input in) throws IOException {
        int round = in.readInt();
        if (round == FAILED) {
            byte[] bytes = in.readBytes(in.readInt());
            try (java.io.ObjectInputStream o = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes)) {
                @Override
                protected Class<?> resolveClass(java.io.ObjectStreamClass desc) throws IOException,
                        ClassNotFoundException {
                    return Class.forName(desc.getName(), false, ExchangeWire.class.getClassLoader());
                }
            }) {
                return o.readObject();
            } catch (ClassNotFoundException | ClassCastException e) {
                return new RuntimeException("a worker failed (its exception could not be read: " + e + ")");
            }
        }
        return readReport(in, round);
    }

    private static Report readReport(Input in, int round) throws IOException {
        int examples = in.readInt();
        double score = in.readDouble();
        WorkerTime time = new WorkerTime(in.readDouble(), in.readDouble(), in.readDouble(), in.readBoolean());
        if (examples <= 0) return new Report(round, 0, Double.NaN, time, null, null);
        Flat parameters = readFlat(in);
        Flat state = in.readBoolean() ? readFlat(in) : null;
        return new Report(round, examples, score, time, parameters, state);
    }

    /** Parameters, then whether an updater state follows, and it. */
    static void writeArrays(DataOutputStream out, Flat parameters, Flat state) throws IOException {
        writeFlat(out, parameters);
        out.writeBoolean(state != null);
        if (state != null) writeFlat(out, state);
    }

    static void writeFlat(DataOutputStream out, Flat flat) throws IOException {
        int n = flat.length();
        boolean floats = flat.floats() != null;
        out.writeByte(floats ? FLOAT : DOUBLE);
        out.writeInt(n);
        ByteBuffer bytes = ByteBuffer.allocate(n * (floats ? Float.BYTES : Double.BYTES));
        if (floats) bytes.asFloatBuffer().put(flat.floats());
        else bytes.asDoubleBuffer().put(flat.doubles());
        out.write(bytes.array());
    }

    static Flat readFlat(Input in) throws IOException {
        byte type = in.readByte();
        int n = in.readInt();
        if ((type != FLOAT && type != DOUBLE) || n < 0) throw new IOException("a malformed array: type " + type
                + ", " + n + " values");
        ByteBuffer bytes = ByteBuffer.wrap(in.readBytes(n * (type == FLOAT ? Float.BYTES : Double.BYTES)));
        if (type == FLOAT) {
            float[] v = new float[n];
            bytes.asFloatBuffer().get(v);
            return new Flat(v, null);
        }
        double[] v = new double[n];
        bytes.asDoubleBuffer().get(v);
        return new Flat(null, v);
    }

    /**
     * Reads a socket's stream in whole values. A read that times out (the socket's timeout) runs {@code waiting}
     * and tries again, losing nothing: a worker checks there whether its task was killed.
     */
    static final class Input {
        private final InputStream in;
        private final Runnable waiting;
        private final byte[] eight = new byte[8];

        Input(InputStream in, Runnable waiting) {
            this.in = in;
            this.waiting = waiting;
        }

        byte[] readBytes(int n) throws IOException {
            byte[] b = new byte[n];
            fill(b, n);
            return b;
        }

        private void fill(byte[] b, int n) throws IOException {
            int off = 0;
            while (off < n) {
                int read;
                try {
                    read = in.read(b, off, n - off);
                } catch (SocketTimeoutException e) {
                    waiting.run();
                    continue;
                }
                if (read < 0) throw new EOFException("the connection closed after " + off + " of " + n + " bytes");
                off += read;
            }
        }

        byte readByte() throws IOException {
            fill(eight, 1);
            return eight[0];
        }

        boolean readBoolean() throws IOException {
            return readByte() != 0;
        }

        int readInt() throws IOException {
            fill(eight, 4);
            return ByteBuffer.wrap(eight, 0, 4).getInt();
        }

        long readLong() throws IOException {
            fill(eight, 8);
            return ByteBuffer.wrap(eight).getLong();
        }

        double readDouble() throws IOException {
            return Double.longBitsToDouble(readLong());
        }
    }
}
