/**
 * Reading raw text from any Hadoop filesystem, with file and line numbers kept for error messages; the error for
 * bad input data ({@code InputDataException}, exit code 3) and the check that records come in order
 * ({@code InOrder}). The bottom of data-prep: it uses no other package of the project, so every other one may.
 */
package io.sparklstm.prep.io;
