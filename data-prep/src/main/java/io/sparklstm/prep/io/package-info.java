/** Reading raw text from any Hadoop filesystem, with file and line numbers kept for error messages. */
package io.sparklstm.prep.io;
