package io.sparklstm.jobs.bench;

/**
 * One benchmarked LSTM shape: {@code inputs} features per step, {@code units} units, {@code steps} time steps,
 * {@code minibatch} examples per fit.
 *
 * <p>FLOPs are those of the gate GEMMs, which dominate: each step multiplies the {@code minibatch x (inputs +
 * units)} matrix of inputs and previous outputs by the {@code (inputs + units) x 4 units} gate weights,
 * {@code 2 m k n} FLOPs. Backpropagation costs two such products per step (the gradient with respect to the
 * weights and with respect to the inputs and previous outputs), so training is three times the forward pass.
 * Element-wise gate activations, the output layer and the updater are left out: a conservative count.
 */
public record Shape(int inputs, int units, int steps, int minibatch) {

    /** Rows, inner dimension and columns of the gate GEMM. */
    public long gemmM() {
        return minibatch;
    }

    public long gemmK() {
        return (long) inputs + units;
    }

    public long gemmN() {
        return 4L * units;
    }

    /** FLOPs of one gate GEMM. */
    public double gemmFlops() {
        return 2.0 * gemmM() * gemmK() * gemmN();
    }

    /** FLOPs to train on one example: forward and backward over all steps. */
    public double trainingFlopsPerExample() {
        return 3 * 2.0 * gemmK() * gemmN() * steps;
    }

    @Override
    public String toString() {
        return "units " + units + ", steps " + steps + ", minibatch " + minibatch;
    }
}
