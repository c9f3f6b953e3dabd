package io.sparklstm.jobs.doctor;

import java.io.Serializable;

/**
 * A device ND4J computes on: a GPU, or on the CPU backend the host itself.
 *
 * @param name       the GPU's name, or {@code host} with its core count
 * @param totalBytes memory of the device (the host's physical memory on CPU), -1 when unknown
 * @param freeBytes  memory free on it now, -1 when unknown
 */
public record Device(String name, long totalBytes, long freeBytes) implements Serializable {
}
