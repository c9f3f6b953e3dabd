/**
 * Streaming forecasts from a saved forecasting bundle ({@link io.sparklstm.model.stream.ForecastStream}): the
 * streaming form of {@code predict}, for a caller that feeds rows as they arrive.
 *
 * <p>The top of the model module: it uses the bundle ({@code model.bundle}), the preparation it carries
 * ({@code model.data}) and the step-by-step predictor ({@code model}), and nothing uses it but callers outside the
 * module; kept apart so that the root package, which the bundle and the data types build on, depends on neither.
 */
package io.sparklstm.model.stream;
