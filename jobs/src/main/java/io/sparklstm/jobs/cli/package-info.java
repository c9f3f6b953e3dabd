/**
 * The command line: one root command, {@code spark-lstm}, with a subcommand per job. Exit codes: 0 success,
 * 2 usage or configuration error, 3 input-data error, 4 training failed, 1 anything else.
 */
package io.sparklstm.jobs.cli;
