package io.sparklstm.jobs.cli;

import io.sparklstm.jobs.bench.BenchScaling;
import io.sparklstm.jobs.bench.ScalingModel;
import io.sparklstm.jobs.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The scaling model's options, shared by {@code bench} and {@code scaling}. */
final class ScalingOptions {

    @Option(names = "--scale-to", split = ",", paramLabel = "N",
            description = "Predict parameter averaging's examples/s on these executor counts (comma-separated) from "
                    + "the measured per-round costs (ScalingModel; one executor is always added as the base).")
    List<Integer> scaleTo;

    @Option(names = "--bandwidth", defaultValue = "10Gb/s", paramLabel = "RATE", converter = Bandwidth.class,
            description = "Scaling model: every machine's link, e.g. 10Gb/s, 1Gb/s, 100Mb/s, 1.25GB/s "
                    + "(default: ${DEFAULT-VALUE}).")
    double bitsPerSecond;

    @Option(names = "--latency", defaultValue = "0.1ms", paramLabel = "TIME", converter = Latency.class,
            description = "Scaling model: one request and its answer over the network, e.g. 0.1ms, 50us "
                    + "(default: ${DEFAULT-VALUE}).")
    double latencyMs;

    @Option(names = "--task-ms", paramLabel = "MS",
            description = "Scaling model: the driver's time to launch one task (default 0); the growth of the "
                    + "measured scheduling per worker beyond it is taken as the time to take in one result.")
    Double taskMs;

    @Option(names = "--from-workers", split = ",", paramLabel = "N",
            description = "Scaling model: the measured worker counts whose costs feed the model (default: all "
                    + "measured), e.g. 1 to predict 2 workers from one and compare with 2 measured.")
    List<Integer> fromWorkers;

    @Option(names = "--rounds-per-job", defaultValue = "1", paramLabel = "K",
            description = "Scaling model: predict with K averaging rounds in each Spark job (training.roundsPerJob; "
                    + "default ${DEFAULT-VALUE}: one job per round), the workers averaging through a socket on the "
                    + "driver. The costs are read as one job per round measured them.")
    int roundsPerJob;

    boolean requested() {
        return scaleTo != null;
    }

    /** The model's settings; {@code defaultWorkers} without --scale-to. Bad values name their option. */
    BenchScaling.Settings settings(List<Integer> defaultWorkers) {
        List<Integer> workers = scaleTo == null ? defaultWorkers : scaleTo;
        for (int w : workers) if (w < 1) throw new ConfigException("--scale-to takes worker counts of 1 or more: " + w);
        List<Integer> from = fromWorkers == null ? List.of() : fromWorkers;
        for (int w : from) if (w < 1) throw new ConfigException("--from-workers takes worker counts of 1 or more: " + w);
        if (taskMs != null && !(taskMs >= 0 && Double.isFinite(taskMs))) {
            throw new ConfigException("--task-ms must be 0 or more: " + taskMs);
        }
        if (roundsPerJob < 1) throw new ConfigException("--rounds-per-job must be 1 or more: " + roundsPerJob);
        return new BenchScaling.Settings(workers, new ScalingModel.Network(bitsPerSecond, latencyMs),
                Optional.ofNullable(taskMs), from, roundsPerJob);
    }

    /** Bits per second from {@code 10Gb/s}, {@code 10 Gbit/s}, {@code 10Gbps} or bytes: {@code 1.25GB/s}. */
    static double bitsPerSecond(String text) {
        Matcher m = Pattern.compile("([0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\\s*([kKMGT]?)(b|bit|B)(?:/s|ps)")
                .matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a bandwidth: a number and a unit such as "
                    + "Gb/s, Mb/s, Gbit/s, Gbps or GB/s (bytes)");
        }
        double value = Double.parseDouble(m.group(1)) * switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> 1e3;
            case "M" -> 1e6;
            case "G" -> 1e9;
            case "T" -> 1e12;
            default -> 1;
        } * (m.group(3).equals("B") ? 8 : 1);
        if (!(value > 0) || Double.isInfinite(value)) throw new IllegalArgumentException("'" + text + "': must be positive");
        return value;
    }

    /** Milliseconds from {@code 0.1ms}, {@code 100us}, {@code 100µs}, {@code 50000ns} or {@code 0.001s}. */
    static double milliseconds(String text) {
        Matcher m = Pattern.compile("([0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\\s*(ns|us|µs|ms|s)").matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a time: a number and a unit such as ms, us "
                    + "or s");
        }
        double value = Double.parseDouble(m.group(1)) * switch (m.group(2)) {
            case "ns" -> 1e-6;
            case "us", "µs" -> 1e-3;
            case "s" -> 1e3;
            default -> 1;
        };
        if (Double.isInfinite(value)) throw new IllegalArgumentException("'" + text + "': too large");
        return value;
    }

    static final class Bandwidth implements CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            try {
                return bitsPerSecond(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class Latency implements CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            try {
                return milliseconds(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
