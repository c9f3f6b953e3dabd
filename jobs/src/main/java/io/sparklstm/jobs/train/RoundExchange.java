package io.sparklstm.jobs.train;

import io.sparklstm.jobs.train.ExchangeWire.Flat;
import io.sparklstm.jobs.train.ExchangeWire.Report;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The driver's end of a Spark job that runs several averaging rounds ({@code training.roundsPerJob}): a socket
 * that every worker of the job connects to once, sends its parameters and updater state after each round, and
 * reads the round's average back from. It averages as dl4j-spark's master does between two jobs (the mean of the
 * workers that fitted anything, parameters, updater state and score; the iteration counter advanced by the
 * averaging frequency when any did; the epoch counter by one per round, as dl4j-spark's {@code fitPaths} does),
 * so a job of k rounds ends where k jobs of one round would.
 *
 * <p>A round completes when every worker of the job has reported; the workers wait for it. A worker that fails
 * sends its exception ({@link #workerFailure}), and one whose connection breaks before its last round fails the
 * job too: the others are answered {@link ExchangeWire#ABORT} and fail, the barrier stage fails (Spark does not
 * retry a barrier result stage), and the master may run the job again with a new exchange. A connection has to
 * show the exchange's token first (a random one per job, sent to the workers inside the job's task closure).
 */
final class RoundExchange implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RoundExchange.class);
    private static final int HELLO_TIMEOUT_MS = 60_000;

    /** The average a round ended with; no parameters where no worker fitted anything. */
    record Average(int iterationCount, int epochCount, double score, int contributors, Flat parameters,
                   Flat updaterState) {
        boolean averaged() {
            return parameters != null;
        }
    }

    /** A completed round: its index in the job, its average and its times. */
    record Completed(int round, Average average, RoundTimes times) {
    }

    private final ServerSocket server;
    private final String host;
    private final byte[] token = new byte[ExchangeWire.TOKEN_BYTES];
    private final long job;
    private final int workers;
    private final int rounds;
    private final int averagingFrequency;
    private final int startIteration;
    private final int startEpoch;
    private final double broadcastMs;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<Completed> completed = new LinkedBlockingQueue<>();
    private final Thread acceptor;

    // the job's rounds, guarded by this
    private int attempt = -1;  // the stage attempt whose workers take part: the first to connect
    private int round;
    private Report[] reports;
    private int arrived;
    private boolean failed;
    private String failure;
    private Throwable workerFailure;
    private Average last;
    private int iteration;
    private long roundStarted;
    private final List<Completed> done = new ArrayList<>();

    private RoundExchange(ServerSocket server, String host, long job, int workers, int rounds,
                          int averagingFrequency, int startIteration, int startEpoch, double broadcastMs) {
        this.server = server;
        this.host = host;
        new SecureRandom().nextBytes(token);
        this.job = job;
        this.workers = workers;
        this.rounds = rounds;
        this.averagingFrequency = averagingFrequency;
        this.startIteration = startIteration;
        this.startEpoch = startEpoch;
        this.broadcastMs = broadcastMs;
        this.reports = new Report[workers];
        this.iteration = startIteration;
        this.roundStarted = System.nanoTime();
        this.acceptor = new Thread(this::accept, "round-exchange-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * An exchange for a job of {@code rounds} rounds on {@code workers} workers, listening on {@code port} (a free
     * one where 0) of {@code bindAddress} (every interface where null); workers connect to {@code host}.
     */
    static RoundExchange open(String bindAddress, int port, String host, int workers, int rounds,
                              int averagingFrequency, int startIteration, int startEpoch, double broadcastMs)
            throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true); // a fixed port again right after the last job's connections closed
        try {
            server.bind(new InetSocketAddress(bindAddress == null ? null : InetAddress.getByName(bindAddress), port),
                    Math.max(50, workers));
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen on " + bindAddress + ":" + port + (port == 0 ? ""
                    : " (training.exchangePort)") + ": " + e.getMessage(), e);
        }
        return new RoundExchange(server, host, new SecureRandom().nextLong(), workers, rounds, averagingFrequency,
                startIteration, startEpoch, broadcastMs);
    }

    String host() {
        return host;
    }

    int port() {
        return server.getLocalPort();
    }

    byte[] token() {
        return token.clone();
    }

    long job() {
        return job;
    }

    /** The next round completed, waiting at most {@code millis}; empty when none completed meanwhile. */
    Optional<Completed> nextCompleted(long millis) throws InterruptedException {
        return Optional.ofNullable(completed.poll(millis, TimeUnit.MILLISECONDS));
    }

    /** The rounds completed, in order: all of the job's when its Spark job succeeded. */
    synchronized List<Completed> rounds() {
        return List.copyOf(done);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.add(socket);
                Thread t = new Thread(() -> serve(socket), "round-exchange-worker");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!server.isClosed()) LOG.warn("round exchange: accepting a worker failed: {}", e.toString());
            }
        }
    }

    private void serve(Socket socket) {
        boolean joined = false;
        int worker = -1;
        int r = 0;
        try (socket) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(HELLO_TIMEOUT_MS);
            ExchangeWire.Input in = new ExchangeWire.Input(socket.getInputStream(), () -> {
                throw new IllegalStateException("no word from the worker");
            });
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
            byte[] shown = in.readBytes(ExchangeWire.TOKEN_BYTES);
            long shownJob = in.readLong();
            int att = in.readInt();
            worker = in.readInt();
            if (!MessageDigest.isEqual(shown, token) || shownJob != job || worker < 0 || worker >= workers) {
                LOG.warn("round exchange: refused a connection from {} (wrong token, job or worker)",
                        socket.getRemoteSocketAddress());
                return;
            }
            joined = join(att);
            if (!joined) {
                out.writeByte(ExchangeWire.ABORT);
                out.flush();
                return;
            }
            socket.setSoTimeout(0); // a round takes as long as fitting takes; Spark ends failed jobs
            for (r = 0; r < rounds; r++) {
                Object read = ExchangeWire.readReportOrFailure(in);
                if (read instanceof Throwable failed) {
                    workerFailed(worker, r, failed);
                    return;
                }
                Report report = (Report) read;
                Average average = arrive(worker, r, report);
                if (average == null) {
                    out.writeByte(ExchangeWire.ABORT);
                    out.flush();
                    return;
                }
                out.writeByte(average.averaged() ? ExchangeWire.AVERAGED : ExchangeWire.UNCHANGED);
                out.writeInt(average.iterationCount());
                out.writeInt(average.epochCount());
                if (average.averaged()) ExchangeWire.writeArrays(out, average.parameters(), average.updaterState());
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            if (joined && r < rounds) fail("worker " + worker + " broke off in round " + r + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            connections.remove(socket);
        }
    }

    /**
     * Whether a connection of stage attempt {@code att} may take part: the first attempt's only. Spark does not
     * retry a failed barrier result stage (the master runs the job again, with a new exchange), so another
     * attempt would be a stray. Once joined, a connection belongs to the job's attempt for good.
     */
    private synchronized boolean join(int att) {
        if (attempt < 0) attempt = att;
        return att == attempt && !failed;
    }

    private synchronized void workerFailed(int worker, int r, Throwable failed) {
        if (workerFailure == null) workerFailure = failed;
        fail("worker " + worker + " failed in round " + r + ": " + failed);
    }

    /** The first exception a worker of the job reported before its task failed. */
    synchronized Optional<Throwable> workerFailure() {
        return Optional.ofNullable(workerFailure);
    }

    private synchronized void fail(String why) {
        if (failed) return;
        failed = true;
        failure = why;
        LOG.warn("round exchange: {}", why);
        notifyAll();
    }

    /** The round's average once every worker reported; null when the job failed. */
    private synchronized Average arrive(int worker, int r, Report report) throws InterruptedException {
        if (failed) return null;
        if (report.round() != r || r != round || reports[worker] != null) {
            fail("worker " + worker + " reported round " + report.round() + " while the exchange is at round "
                    + round);
            return null;
        }
        reports[worker] = report;
        if (++arrived == workers) {
            complete();
            notifyAll();
            return last;
        }
        while (!failed && round == r) wait(1000);
        return failed ? null : last;
    }

    /** Averages the round's reports, as dl4j-spark's master averages a round's results. */
    private void complete() {
        long t0 = System.nanoTime();
        List<Report> fitted = Arrays.stream(reports).filter(p -> p.examples() > 0).toList();
        Average average;
        int epoch = startEpoch + round + 1;
        if (fitted.isEmpty()) {
            average = new Average(iteration, epoch, Double.NaN, 0, null, null);
        } else {
            iteration += averagingFrequency;
            Flat parameters = Flat.mean(fitted.stream().map(Report::parameters).toList());
            boolean states = fitted.stream().allMatch(p -> p.updaterState() != null);
            Flat state = states ? Flat.mean(fitted.stream().map(Report::updaterState).toList()) : null;
            double score = fitted.stream().mapToDouble(Report::score).sum() / fitted.size();
            average = new Average(iteration, epoch, score, fitted.size(), parameters, state);
        }
        long t1 = System.nanoTime();
        List<WorkerTime> times = fitted.stream().map(Report::time).toList();
        RoundTimes roundTimes = new RoundTimes(round == 0 ? broadcastMs : 0, (t0 - roundStarted) / 1e6,
                (t1 - t0) / 1e6, (t1 - roundStarted) / 1e6, times, averagingFrequency);
        Completed c = new Completed(round, average, roundTimes);
        done.add(c);
        completed.add(c);
        last = average;
        reports = new Report[workers];
        arrived = 0;
        round++;
        roundStarted = t1;
    }

    /** Why the job failed, if it did. */
    synchronized Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("closing the round exchange", e);
        }
        for (Socket s : connections) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.debug("closing a worker's connection", e);
            }
        }
        synchronized (this) {
            failed = true;
            notifyAll();
        }
        // the listening socket is released only when the thread blocked in accept() has left it: wait for that, so
        // that a fixed training.exchangePort is free for the next job
        try {
            acceptor.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
