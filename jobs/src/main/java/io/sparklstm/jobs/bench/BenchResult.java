package io.sparklstm.jobs.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;
import java.util.Map;

/**
 * {@code bench.json}: where the figures were measured, the figures of each shape and, with
 * {@code --accuracy-epochs}, the statistical efficiency. Components that are {@code null} are absent from the
 * file, as they were when it was written from maps; the key order is the component order.
 *
 * @param roundsPerJob          the averaging rounds in each Spark job the parameter-averaging modes ran with
 *                              ({@code training.roundsPerJob})
 * @param repeats               absent with {@code --skip-throughput}
 * @param statisticalEfficiency {@link StatisticalEfficiency}'s figures, absent unless measured
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"machine", "averagingFrequency", "roundsPerJob", "repeats", "results", "statisticalEfficiency"})
public record BenchResult(Machine machine, int averagingFrequency, int roundsPerJob, Integer repeats,
                          List<ShapeFigures> results,
                          Map<String, Object> statisticalEfficiency) {

    /** Where the figures were measured. */
    @JsonPropertyOrder({"cpus", "os", "java", "nd4jBackend", "blas", "nd4jThreads", "OMP_NUM_THREADS", "sparkMaster",
            "sparkDefaultParallelism"})
    public record Machine(int cpus, String os, String java, String nd4jBackend, String blas, int nd4jThreads,
                          @JsonProperty("OMP_NUM_THREADS") String ompNumThreads, String sparkMaster,
                          int sparkDefaultParallelism) {
    }

    /**
     * One shape's figures (medians over the repeats). Without the plain-process measurements there is no
     * {@code process}, {@code kernels} or {@code ceiling}.
     *
     * @param repeats            only with more than one repeat, as are {@code gemmGflopsSamples}
     * @param ceiling            N plain fits side by side, by worker count (2 and more); absent when none
     * @param spark              parameter averaging, by worker count; absent when no worker count was measured
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"inputs", "units", "steps", "minibatch", "trainingFlopsPerExample", "repeats", "gemmGflops",
            "gemmGflopsSamples", "process", "kernels", "ceiling", "spark"})
    public record ShapeFigures(int inputs, int units, int steps, int minibatch, double trainingFlopsPerExample,
                               Integer repeats, double gemmGflops, List<Double> gemmGflopsSamples, Mode process,
                               Kernels kernels, Map<String, Mode> ceiling, Map<String, Mode> spark) {
    }

    /** Both LSTM kernels in one plain process, and how much faster the fused one is. */
    @JsonPropertyOrder({"dl4j", "fused", "fusedVsDl4j"})
    public record Kernels(Mode dl4j, Mode fused, double fusedVsDl4j) {
    }

    /**
     * One way of training and its rate. {@code vsProcess} is against the plain process (absent for the process
     * itself); {@code kernel} is set for the plain process only; {@code perWorkerVsProcess}, {@code vsCeiling},
     * {@code roundMs} and {@code overheadMs} for parameter averaging only (from the rate: examples per round over
     * examples per second), as are {@code rounds}, where the rounds' time went as measured round by round,
     * {@code emptyRoundMs}, the median time of a round of the same size with nothing read or fitted (Spark's floor,
     * {@link io.sparklstm.jobs.train.EmptyRound}), and {@code attainableVsCeiling}, the most of the ceiling that
     * rounds of this size can reach over that floor, were the workers to fit at the ceiling's rate: fit / (fit +
     * empty round).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"examplesPerSecond", "gflops", "ofRoofline", "vsProcess", "examplesPerSecondSamples", "kernel",
            "perWorkerVsProcess", "vsCeiling", "roundMs", "overheadMs", "emptyRoundMs", "attainableVsCeiling",
            "rounds"})
    public record Mode(double examplesPerSecond, double gflops, double ofRoofline, Double vsProcess,
                       List<Double> examplesPerSecondSamples, String kernel, Double perWorkerVsProcess,
                       Double vsCeiling, Double roundMs, Double overheadMs, Double emptyRoundMs,
                       Double attainableVsCeiling, RoundBreakdown rounds) {

        /** The plain process's figures, with the kernel it ran. */
        public Mode withKernel(String name) {
            return new Mode(examplesPerSecond, gflops, ofRoofline, vsProcess, examplesPerSecondSamples, name,
                    perWorkerVsProcess, vsCeiling, roundMs, overheadMs, emptyRoundMs, attainableVsCeiling, rounds);
        }

        /** Parameter averaging's figures, with what they are compared to. */
        public Mode withAveraging(double perWorker, Double ceilingRatio, double round, Double overhead,
                                  double emptyRound, Double attainable, RoundBreakdown breakdown) {
            return new Mode(examplesPerSecond, gflops, ofRoofline, vsProcess, examplesPerSecondSamples, kernel,
                    perWorker, ceilingRatio, round, overhead, emptyRound, attainable, breakdown);
        }
    }
}
