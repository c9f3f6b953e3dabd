package io.sparklstm.jobs.evaluate;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Per-step classification scores (a character language model): the predicted steps, the perplexity (the
 * exponential of the loss, mean nats per step), bits per step, and accuracy and macro F1 over steps.
 */
@JsonPropertyOrder({"steps", "perplexity", "bitsPerStep", "accuracy", "f1"})
public record StepScores(long steps, double perplexity, double bitsPerStep, double accuracy, double f1) {
}
