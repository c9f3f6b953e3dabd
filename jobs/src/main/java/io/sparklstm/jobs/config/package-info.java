/**
 * HOCON configuration: every key is declared once, with its type, default, meaning and check, in the settings
 * catalogue ({@link io.sparklstm.jobs.config.Catalogue}: one {@code *Keys} class per section, beside the record that
 * holds the section); the defaults in {@code conf/defaults.conf}, held to the catalogue by a test, name every key; a
 * user file and {@code --set} overrides are checked against them (unknown keys, wrong types, invalid values, all
 * reported together) before Spark starts, then turned into one immutable record per concern.
 */
package io.sparklstm.jobs.config;
