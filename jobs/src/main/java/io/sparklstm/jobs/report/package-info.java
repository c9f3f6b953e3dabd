/** The human-readable report of a training run, one self-contained HTML file. */
package io.sparklstm.jobs.report;
