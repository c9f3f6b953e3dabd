package io.sparklstm.jobs.train;

import io.sparklstm.jobs.train.ExchangeWire.Flat;
import io.sparklstm.jobs.train.ExchangeWire.Report;
import io.sparklstm.prep.io.InputDataException;
import org.junit.jupiter.api.Test;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The driver's exchange of a job of averaging rounds, spoken to over real sockets by two workers of this test:
 * the mean of the workers that fitted (parameters, updater state, score), the counters as one job per round
 * leaves them, a round nobody fitted in, a connection without the token, and a worker's failure reaching the
 * driver and aborting the other worker.
 */
class RoundExchangeTest {

    private static final WorkerTime TIME = new WorkerTime(1, 10, 12, false);

    /** A worker's end: its connection, said hello on. */
    private record Worker(Socket socket, DataOutputStream out, ExchangeWire.Input in) implements AutoCloseable {

        static Worker connect(RoundExchange exchange, byte[] token, int worker) throws IOException {
            Socket socket = new Socket(exchange.host(), exchange.port());
            socket.setSoTimeout(20_000);
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            ExchangeWire.writeHello(out, token, exchange.job(), 0, worker);
            return new Worker(socket, out, new ExchangeWire.Input(socket.getInputStream(), () -> {
                throw new IllegalStateException("no answer from the exchange");
            }));
        }

        /** Sends a round's report and reads the answer: status, counters and, when averaged, the arrays. */
        Object[] round(Report report) throws IOException {
            ExchangeWire.writeReport(out, report);
            byte status = in.readByte();
            if (status == ExchangeWire.ABORT) return new Object[]{status};
            int iteration = in.readInt();
            int epoch = in.readInt();
            if (status == ExchangeWire.UNCHANGED) return new Object[]{status, iteration, epoch};
            Flat params = ExchangeWire.readFlat(in);
            Flat state = in.readBoolean() ? ExchangeWire.readFlat(in) : null;
            return new Object[]{status, iteration, epoch, params, state};
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static Report fitted(int round, float[] params, float[] state, double score) {
        return new Report(round, 16, score, TIME, new Flat(params, null), new Flat(state, null));
    }

    private static Report nothing(int round) {
        return new Report(round, 0, Double.NaN, TIME, null, null);
    }

    @Test
    void roundsAverageTheWorkersThatFittedAndCountAsOneJobPerRound() throws Exception {
        try (RoundExchange exchange = RoundExchange.open("127.0.0.1", 0, "127.0.0.1", 2, 3, 5, 100, 7, 1.5);
             Worker w0 = Worker.connect(exchange, exchange.token(), 0);
             Worker w1 = Worker.connect(exchange, exchange.token(), 1)) {
            // round 0: both fitted
            CompletableFuture<Object[]> a0 = CompletableFuture.supplyAsync(() -> call(w0, fitted(0,
                    new float[]{1, 2}, new float[]{10, 20, 30}, 0.5)));
            Object[] b0 = w1.round(fitted(0, new float[]{3, 5}, new float[]{30, 40, 50}, 1.5));
            Object[] r0 = a0.get(20, TimeUnit.SECONDS);
            for (Object[] r : new Object[][]{r0, b0}) {
                assertEquals(ExchangeWire.AVERAGED, r[0]);
                assertEquals(105, r[1], "the iteration counter advanced by the averaging frequency");
                assertEquals(8, r[2], "the epoch counter by one per round, as dl4j-spark's fitPaths counts");
                assertArrayEquals(new float[]{2, 3.5f}, ((Flat) r[3]).floats());
                assertArrayEquals(new float[]{20, 30, 40}, ((Flat) r[4]).floats());
            }
            // round 1: only worker 1 fitted; the mean is its own
            CompletableFuture<Object[]> a1 = CompletableFuture.supplyAsync(() -> call(w0, nothing(1)));
            Object[] b1 = w1.round(fitted(1, new float[]{7, 9}, new float[]{1, 1, 1}, 2.0));
            assertArrayEquals(new float[]{7, 9}, ((Flat) a1.get(20, TimeUnit.SECONDS)[3]).floats());
            assertEquals(110, b1[1]);
            // round 2: nobody fitted: the counters of the last average stand but the epoch's
            CompletableFuture<Object[]> a2 = CompletableFuture.supplyAsync(() -> call(w0, nothing(2)));
            Object[] b2 = w1.round(nothing(2));
            assertEquals(ExchangeWire.UNCHANGED, b2[0]);
            assertEquals(110, b2[1]);
            assertEquals(10, b2[2]);
            assertEquals(ExchangeWire.UNCHANGED, a2.get(20, TimeUnit.SECONDS)[0]);

            var rounds = exchange.rounds();
            assertEquals(3, rounds.size());
            assertEquals(1.0, rounds.get(0).average().score(), 1e-12, "the mean score of the workers that fitted");
            assertEquals(2, rounds.get(0).times().workers().size());
            assertEquals(1.5, rounds.get(0).times().broadcastMs(), "the job's broadcast counts in its first round");
            assertEquals(1, rounds.get(1).times().workers().size(), "a worker without data has no fit time");
            assertEquals(0, rounds.get(1).times().broadcastMs());
            assertFalse(rounds.get(2).average().averaged());
            assertTrue(exchange.workerFailure().isEmpty());
        }
    }

    /** training.exchangePort: the exchange listens on the port given, again for the next job right after. */
    @Test
    void aFixedPortServesOneJobAfterAnother() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        for (int job = 0; job < 2; job++) {
            try (RoundExchange exchange = RoundExchange.open("127.0.0.1", port, "127.0.0.1", 1, 1, 5, 0, 0, 0);
                 Worker w = Worker.connect(exchange, exchange.token(), 0)) {
                assertEquals(port, exchange.port());
                assertEquals(ExchangeWire.AVERAGED, w.round(fitted(0, new float[]{4}, new float[]{2}, 1))[0]);
            }
        }
    }

    @Test
    void aConnectionWithoutTheTokenIsDropped() throws Exception {
        try (RoundExchange exchange = RoundExchange.open("127.0.0.1", 0, "127.0.0.1", 1, 1, 5, 0, 0, 0);
             Worker stranger = Worker.connect(exchange, new byte[ExchangeWire.TOKEN_BYTES], 0)) {
            assertThrows(IOException.class, () -> stranger.round(fitted(0, new float[]{1}, new float[]{1}, 0)),
                    "closed without an answer");
            assertTrue(exchange.rounds().isEmpty());
        }
    }

    @Test
    void aWorkersFailureReachesTheDriverAndAbortsTheOthers() throws Exception {
        try (RoundExchange exchange = RoundExchange.open("127.0.0.1", 0, "127.0.0.1", 2, 2, 5, 0, 0, 0);
             Worker w0 = Worker.connect(exchange, exchange.token(), 0);
             Worker w1 = Worker.connect(exchange, exchange.token(), 1)) {
            CompletableFuture<Object[]> waiting = CompletableFuture.supplyAsync(() -> call(w0, fitted(0,
                    new float[]{1}, new float[]{1}, 0)));
            ExchangeWire.writeFailure(w1.out(), new InputDataException("batch-000003.bin: not a minibatch file"));
            assertEquals(ExchangeWire.ABORT, waiting.get(20, TimeUnit.SECONDS)[0]);
            Throwable cause = exchange.workerFailure().orElseThrow();
            assertTrue(cause instanceof InputDataException, cause.toString());
            assertEquals("batch-000003.bin: not a minibatch file", cause.getMessage());
            assertTrue(exchange.failure().orElseThrow().contains("worker 1 failed in round 0"),
                    exchange.failure().orElseThrow());
            assertThrows(IOException.class, () -> w1.in().readByte(), "the failed worker's connection is closed");
        }
    }

    private static Object[] call(Worker w, Report report) {
        try {
            return w.round(report);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
