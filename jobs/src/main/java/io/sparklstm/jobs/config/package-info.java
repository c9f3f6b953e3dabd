/**
 * HOCON configuration: the defaults in {@code conf/defaults.conf} name every key; a user file and
 * {@code --set} overrides are checked against them (unknown keys, wrong types, invalid values, all reported
 * together) before Spark starts, then turned into one immutable record per concern.
 */
package io.sparklstm.jobs.config;
