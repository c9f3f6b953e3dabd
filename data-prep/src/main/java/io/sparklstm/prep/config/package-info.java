/** Immutable settings of data preparation, each checked when it is built; key names as in the HOCON files. */
package io.sparklstm.prep.config;
