/**
 * DL4J's {@code LSTM} and {@code GravesLSTM} layers with their whole-sequence passes run through ND4J's fused native
 * ops ({@code model.kernel = fused}, or {@code auto}): the same parameters in the same layout, so the workers,
 * checkpoints and bundles treat them as DL4J's own; where an op would not compute what DL4J's layer computes, the
 * layer is DL4J's unchanged.
 *
 * <p>May depend on DL4J and ND4J only: no other package of the project, no Spark. {@code model}'s network factory
 * is what uses it.
 */
package io.sparklstm.model.fused;
